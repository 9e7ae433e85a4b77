import { describe, expect, it } from 'vitest';
import { linkSheetRows, locateLinkSheetColumns, planLinkSheetUpload, type UploadedRow } from './link-sheet.js';
import type { LinkCheckContext } from './product-linking.js';

const context: LinkCheckContext = {
  catalogueImported: true,
  variant: (code) => (code === 'V-E' ? { linkable: false, unlinkableReason: '상품 연동형 옵션' } : code.startsWith('V-') ? { linkable: true, unlinkableReason: null } : undefined),
  onHeldOrder: () => false,
  goodsKnown: (code) => code.startsWith('G-'),
};

let rowNumber = 1;
const row = (variantCode: string, cstGodCd = '', quantity = ''): UploadedRow => ({ row: ++rowNumber, variantCode, cstGodCd, quantity });

describe('linkSheetRows', () => {
  it('writes one row per goods of a set, one empty row for an unlinked variant, and why a variant cannot be linked', () => {
    const base = { productName: '티셔츠', optionText: '색상=빨강', customProductCode: null, customVariantCode: 'SHIRT-RED' };
    const rows = linkSheetRows(
      [
        { variantCode: 'V-SET', ...base, linkable: true, unlinkableReason: null },
        { variantCode: 'V-NONE', ...base, linkable: true, unlinkableReason: null },
        { variantCode: 'V-E', ...base, linkable: false, unlinkableReason: '상품 연동형 옵션' },
      ],
      new Map([['V-SET', [{ cstGodCd: 'G-1', quantity: 1 }, { cstGodCd: 'G-2', quantity: 2 }]]]),
    );
    expect(rows.map((r) => [r.variantCode, r.cstGodCd, r.quantity, r.linkable])).toEqual([
      ['V-SET', 'G-1', 1, 'Y'],
      ['V-SET', 'G-2', 2, 'Y'],
      ['V-NONE', null, null, 'Y'],
      ['V-E', null, null, 'N: 상품 연동형 옵션'],
    ]);
  });
});

describe('locateLinkSheetColumns', () => {
  it('finds the required columns in any order, spaces aside, and names the missing ones', () => {
    expect(locateLinkSheetColumns(['수량', ' FMS 상품코드', '품목코드'])).toMatchObject({ ok: true, index: { quantity: 0, cstGodCd: 1, variantCode: 2, productName: undefined } });
    expect(locateLinkSheetColumns(['품목코드', '상품명'])).toEqual({ ok: false, missing: ['FMS상품코드', '수량'] });
  });
});

describe('planLinkSheetUpload', () => {
  it('groups a variant’s rows into one link (a set), skips rows without goods, and tells unchanged links apart', () => {
    const plan = planLinkSheetUpload(
      [row('V-SET', 'G-1', '1'), row('V-SET', 'G-2', '2'), row('V-NONE'), row('V-SAME', 'G-1', ''), row('V-SET', 'G-1', '1')],
      context,
      new Map([['V-SAME', [{ cstGodCd: 'G-1', quantity: 1 }]]]),
    );
    expect(plan.rows.map((r) => r.result)).toEqual(['linked', 'linked', 'skipped', 'unchanged', 'linked']);
    expect([...plan.changes]).toEqual([['V-SET', [{ cstGodCd: 'G-1', quantity: 1 }, { cstGodCd: 'G-2', quantity: 2 }]]]);
    expect(plan.conflicts).toEqual([]);
  });

  it('refuses each bad row with its reason and the other rows of the same variant with it', () => {
    const plan = planLinkSheetUpload(
      [row('V-A', 'G-1', '1'), row('V-A', 'X-9', '1'), row('V-E', 'G-1', '1'), row('NEW', 'G-1', '1'), row('V-B', 'G-1', '0'), row('V-C', 'G-1', '-1'), row('V-D', '', '2'), row('V-F', 'G-1', '1.5'), row('V-OK', 'G-3', '3')],
      context,
      new Map(),
    );
    expect(plan.rows.map((r) => [r.variantCode, r.result, r.reason])).toEqual([
      ['V-A', 'refused', 'other_row_of_variant_refused'],
      ['V-A', 'refused', 'unknown_goods'],
      ['V-E', 'refused', 'unlinkable_variant'],
      ['NEW', 'refused', 'unknown_variant'],
      ['V-B', 'refused', 'invalid_quantity'],
      ['V-C', 'refused', 'invalid_quantity'],
      ['V-D', 'refused', 'missing_goods'],
      ['V-F', 'refused', 'invalid_quantity'],
      ['V-OK', 'linked', undefined],
    ]);
    expect([...plan.changes.keys()]).toEqual(['V-OK']);
  });

  it('finds rows that give the same variant and goods different quantities', () => {
    const first = row('V-A', 'G-1', '1');
    const second = row('V-A', 'G-1', '2');
    expect(planLinkSheetUpload([first, row('V-B', 'G-1', '1'), second], context, new Map()).conflicts).toEqual([{ variantCode: 'V-A', cstGodCd: 'G-1', rows: [first.row, second.row] }]);
  });
});
