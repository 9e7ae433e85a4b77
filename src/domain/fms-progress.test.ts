import { describe, expect, it } from 'vitest';
import { compactFmsDay, formatFmsDay, normalizeFmsCarrier, parseFmsStatus, rawFmsStatus, splitInvoiceNos } from './fms-progress.js';

describe('parseFmsStatus', () => {
  it.each([
    ['1', '출고요청', 'ORDER'],
    ['2', '출고작업중', 'WORKING'],
    ['3', '출고완료', 'DONE'],
    ['8', '출고요청취소', 'CANCEL'],
    ['9', '재고부족', 'SHORTAGE'],
    [3, null, 'DONE'],
    ['03', null, 'DONE'],
  ])('reads the code %j (%s) as %s', (code, name, status) => {
    expect(parseFmsStatus(code, name)).toBe(status);
  });

  it.each(['ORDER', 'WORKING', 'DONE', 'PARTDONE', 'CANCEL', 'SHORTAGE'])('reads the word %s, in any case', (word) => {
    expect(parseFmsStatus(word, null)).toBe(word);
    expect(parseFmsStatus(` ${word.toLowerCase()} `, null)).toBe(word);
  });

  it('derives PARTDONE from a name saying 부분, whatever the code', () => {
    expect(parseFmsStatus('3', '부분출고')).toBe('PARTDONE');
    expect(parseFmsStatus(null, '부분출고완료')).toBe('PARTDONE');
    expect(parseFmsStatus('DONE', '부분 출고')).toBe('PARTDONE');
    expect(parseFmsStatus('8', '부분출고취소')).toBe('CANCEL');
  });

  it('falls back on the name when the code is missing or unknown', () => {
    expect(parseFmsStatus('7', '출고요청취소')).toBe('CANCEL');
    expect(parseFmsStatus(null, '출고지시')).toBe('WORKING');
    expect(parseFmsStatus('', '피킹중')).toBe('WORKING');
    expect(parseFmsStatus('X', '출고완료')).toBe('DONE');
    expect(parseFmsStatus(undefined, '출고요청')).toBe('ORDER');
  });

  it('answers UNKNOWN for what no rule reads, keeping the raw values apart', () => {
    expect(parseFmsStatus('5', '보류')).toBe('UNKNOWN');
    expect(parseFmsStatus(null, null)).toBe('UNKNOWN');
    expect(rawFmsStatus(' 5 ', '보류')).toEqual({ code: '5', name: '보류' });
    expect(rawFmsStatus(null, '')).toEqual({ code: null, name: null });
  });
});

describe('normalizeFmsCarrier', () => {
  it('recognises CJ by its two-digit code, its letters or its name', () => {
    for (const [code, name] of [['04', null], ['CJ', null], ['cj', 'CJ대한통운'], [null, 'CJ대한통운'], [null, '대한통운'], [4, null]] as const) {
      expect(normalizeFmsCarrier(code === 4 ? '04' : code, name)).toMatchObject({ key: 'CJ', recognised: true });
    }
  });

  it('lets a known name win over a code it does not know, and keeps what was sent', () => {
    expect(normalizeFmsCarrier('05', '한진택배')).toEqual({ code: '05', name: '한진택배', key: 'HANJIN', recognised: true });
    expect(normalizeFmsCarrier('04', '롯데택배')).toMatchObject({ key: 'LOTTE' });
  });

  it('keys an unknown carrier on its code, else its name, and gives null for nothing', () => {
    expect(normalizeFmsCarrier('zz', '새택배')).toEqual({ code: 'zz', name: '새택배', key: 'ZZ', recognised: false });
    expect(normalizeFmsCarrier(null, '새택배')).toEqual({ code: null, name: '새택배', key: '새택배', recognised: false });
    expect(normalizeFmsCarrier('', ' ')).toBeNull();
  });
});

describe('FMS days and invoice numbers', () => {
  it('reads both date forms and timestamps, refusing impossible days', () => {
    expect(compactFmsDay('20261130')).toBe('20261130');
    expect(compactFmsDay('2026-11-30')).toBe('20261130');
    expect(compactFmsDay('2026-11-30 14:02:11')).toBe('20261130');
    expect(compactFmsDay('20261131')).toBeNull();
    expect(compactFmsDay('')).toBeNull();
    expect(compactFmsDay(null)).toBeNull();
  });

  it('writes a day in the chosen form and refuses anything but a day', () => {
    expect(formatFmsDay('20261130', 'YYYY-MM-DD')).toBe('2026-11-30');
    expect(formatFmsDay('2026-11-30', 'yyyyMMdd')).toBe('20261130');
    expect(() => formatFmsDay('2026-11-30T00:00', 'yyyyMMdd')).toThrow(RangeError);
    expect(() => formatFmsDay('../x', 'yyyyMMdd')).toThrow(RangeError);
  });

  it('splits several invoice numbers in one field', () => {
    expect(splitInvoiceNos('601234567890, 601234567891;601234567890')).toEqual(['601234567890', '601234567891']);
    expect(splitInvoiceNos(601234567890)).toEqual(['601234567890']);
    expect(splitInvoiceNos('')).toEqual([]);
    expect(splitInvoiceNos(null)).toEqual([]);
  });
});
