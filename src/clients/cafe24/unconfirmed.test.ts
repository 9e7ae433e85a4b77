import { describe, expect, it } from 'vitest';
import { launchSignedMessage, multiStatusEntry, orderIdWindow, parseTokenTimestamp, retryAfterMs, shipmentItemCodes, tokenErrorText } from './unconfirmed.js';

describe('assumptions about unconfirmed Cafe24 behaviour', () => {
  it('reads offset-less token timestamps as KST and keeps explicit zones', () => {
    expect(parseTokenTimestamp('2021-03-01T14:00:00.000').toISOString()).toBe('2021-03-01T05:00:00.000Z');
    expect(parseTokenTimestamp('2021-03-01T14:00:00.000Z').toISOString()).toBe('2021-03-01T14:00:00.000Z');
    expect(() => parseTokenTimestamp('soon')).toThrow();
  });

  it('reads both token error shapes', () => {
    expect(tokenErrorText({ error: 'invalid_grant', error_description: 'Invalid refresh_token' })).toBe('invalid_grant: Invalid refresh_token');
    expect(tokenErrorText({ error: { code: 401, message: 'Invalid client_secret' } })).toBe('401 Invalid client_secret');
    expect(tokenErrorText('nope')).toBe('no error body');
  });

  it('signs the raw query without hmac', () => {
    expect(launchSignedMessage('a=1&mall_id=x&timestamp=2&hmac=abc%3D')).toBe('a=1&mall_id=x&timestamp=2');
  });

  it('reads a 207 entry as success unless it carries an error', () => {
    expect(multiStatusEntry({ order_id: '1' })).toEqual({ ok: true });
    expect(multiStatusEntry({ error: { code: '422', message: 'bad' } })).toEqual({ ok: false, status: 422, code: '422', message: 'bad' });
    expect(multiStatusEntry({ error: { code: 409, message: 'again' } })).toEqual({ ok: false, status: 409, code: '409', message: 'again' });
    expect(multiStatusEntry({ error: { code: 'E001', message: 'odd' } })).toEqual({ ok: false, status: 422, code: 'E001', message: 'odd' });
  });

  it('reads a shipment\'s items from order_item_code or from items', () => {
    expect(shipmentItemCodes({ order_item_code: ['20261101-0000001-01'] })).toEqual(['20261101-0000001-01']);
    expect(shipmentItemCodes({ order_item_code: '20261101-0000001-01,20261101-0000001-02' })).toEqual(['20261101-0000001-01', '20261101-0000001-02']);
    expect(shipmentItemCodes({ items: [{ order_item_code: '20261101-0000001-02' }, '20261101-0000001-03', { other: 1 }] })).toEqual(['20261101-0000001-02', '20261101-0000001-03']);
    expect(shipmentItemCodes({})).toEqual([]);
    expect(shipmentItemCodes(null)).toEqual([]);
  });

  it('honours Retry-After in seconds when present', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('orderIdWindow', () => {
  it('spans the day before through the day after the date in the id', () => {
    expect(orderIdWindow('20261201-0000123')).toEqual({ from: '2026-11-30', to: '2026-12-02' });
    expect(orderIdWindow('not-an-id')).toBeNull();
  });
});
