import { describe, expect, it } from 'vitest';
import { invoiceRunMode, invoiceSyncBlocker } from './invoice-sync.js';

describe('invoiceSyncBlocker', () => {
  const ok = { enabled: true, link_start_date: '2026-12-01', cafe24_auth_status: 'authorized' as const, invoice_sync_enabled: true };
  const slot = '2026-12-01T05:40:00.000Z';
  it('names why a link cannot sync invoices: invoice sync off first, then what stops a collection', () => {
    expect(invoiceSyncBlocker(ok, slot)).toBeNull();
    expect(invoiceSyncBlocker({ ...ok, invoice_sync_enabled: false, enabled: false }, slot)).toBe('invoice_sync_disabled');
    expect(invoiceSyncBlocker({ ...ok, enabled: false }, slot)).toBe('link_disabled');
    expect(invoiceSyncBlocker(ok, '2026-11-30T14:59:59.000Z')).toBe('before_start_date');
    expect(invoiceSyncBlocker({ ...ok, cafe24_auth_status: 'reauth_required' as const }, slot)).toBe('not_authorized');
  });

  it('runs a link with invoice registration off as watch-only, and skips it only for a collection blocker', () => {
    expect(invoiceRunMode(ok, slot)).toEqual({ skip: null, watchOnly: false });
    expect(invoiceRunMode({ ...ok, invoice_sync_enabled: false }, slot)).toEqual({ skip: null, watchOnly: true });
    expect(invoiceRunMode({ ...ok, invoice_sync_enabled: false, enabled: false }, slot)).toEqual({ skip: 'link_disabled' });
  });
});
