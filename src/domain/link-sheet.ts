import type { ProductLinkComponent, ProductLinkMap } from './link-resolution.js';
import { componentRefusals, linkLimits, sameComponents, variantRefusal, type LinkCheckContext, type LinkRefusalReason } from './product-linking.js';

/**
 * The link sheet (상품연결 시트) a seller downloads, edits and uploads: one row per Cafe24 variant
 * and FMS goods. A set product ships as several goods: it has one row per component, each with
 * the variant's 품목코드. Only 품목코드, FMS 상품코드 and 수량 are read back; the other columns
 * help the seller find the product.
 */

export const linkSheetColumns = [
  { key: 'variantCode', header: '품목코드', width: 18 },
  { key: 'productName', header: '상품명', width: 36 },
  { key: 'optionText', header: '옵션', width: 24 },
  { key: 'customProductCode', header: '자체상품코드', width: 16 },
  { key: 'customVariantCode', header: '자체품목코드', width: 16 },
  { key: 'linkable', header: '연결가능', width: 24 },
  { key: 'cstGodCd', header: 'FMS상품코드', width: 18 },
  { key: 'quantity', header: '수량', width: 8 },
] as const;

export type LinkSheetColumnKey = (typeof linkSheetColumns)[number]['key'];

/** The columns an upload must have. */
export const requiredLinkSheetColumns: readonly LinkSheetColumnKey[] = ['variantCode', 'cstGodCd', 'quantity'];

export const linkSheetName = '상품연결';

/** One row of a downloaded sheet. */
export type LinkSheetRow = Record<LinkSheetColumnKey, string | number | null>;

/** The catalogue side of one variant in the sheet; fields the import did not give are null. */
export interface LinkSheetVariant {
  variantCode: string;
  productName: string | null;
  optionText: string | null;
  customProductCode: string | null;
  customVariantCode: string | null;
  linkable: boolean;
  unlinkableReason: string | null;
}

/** The rows of the sheet: each variant with its goods (one row per goods), or one empty row. */
export function linkSheetRows(variants: readonly LinkSheetVariant[], links: ProductLinkMap): LinkSheetRow[] {
  return variants.flatMap((v): LinkSheetRow[] => {
    const base = {
      variantCode: v.variantCode,
      productName: v.productName,
      optionText: v.optionText,
      customProductCode: v.customProductCode,
      customVariantCode: v.customVariantCode,
      linkable: v.linkable ? 'Y' : `N: ${v.unlinkableReason ?? '연결 불가'}`,
    };
    const components = links.get(v.variantCode) ?? [];
    if (components.length === 0) return [{ ...base, cstGodCd: null, quantity: null }];
    return components.map((c) => ({ ...base, cstGodCd: c.cstGodCd, quantity: c.quantity }));
  });
}

/** Where each required column is, or the headers that are missing. */
export function locateLinkSheetColumns(headerRow: readonly string[]): { ok: true; index: Record<LinkSheetColumnKey, number | undefined> } | { ok: false; missing: string[] } {
  const normalized = headerRow.map((h) => h.replace(/\s+/g, ''));
  const index = {} as Record<LinkSheetColumnKey, number | undefined>;
  for (const column of linkSheetColumns) {
    const at = normalized.indexOf(column.header);
    index[column.key] = at === -1 ? undefined : at;
  }
  const missing = linkSheetColumns.filter((c) => requiredLinkSheetColumns.includes(c.key) && index[c.key] === undefined).map((c) => c.header);
  return missing.length > 0 ? { ok: false, missing } : { ok: true, index };
}

/** One data row of an upload, as text, with its row number in the file (the header is row 1). */
export interface UploadedRow {
  row: number;
  variantCode: string;
  cstGodCd: string;
  quantity: string;
}

export type RowResult = 'linked' | 'unchanged' | 'skipped' | 'refused';

export type RowRefusalReason = LinkRefusalReason | 'other_row_of_variant_refused';

export interface RowReport {
  row: number;
  variantCode: string;
  cstGodCd: string | null;
  quantity: number | null;
  result: RowResult;
  /** Set when refused. */
  reason?: RowRefusalReason;
  message?: string;
}

/** Rows that say different things about the same variant and goods: the file is refused. */
export interface ConflictingRows {
  variantCode: string;
  cstGodCd: string;
  rows: number[];
}

export interface UploadPlan {
  /** One entry per data row, in file order. */
  rows: RowReport[];
  /** Links to store: variants whose valid rows differ from their current link. */
  changes: Map<string, ProductLinkComponent[]>;
  conflicts: ConflictingRows[];
}

/** A blank quantity means one unit; anything else must be a whole number. */
function parseQuantity(text: string): number | null {
  if (text === '') return 1;
  if (!/^[+]?\d+(\.0+)?$/.test(text)) return null;
  return Number(text);
}

/**
 * Checks every row and plans the upload. A row without goods leaves its variant as it is
 * (skipped). A variant's rows with goods together are its new link (a set: several goods); if any
 * of them is refused, the variant is refused as a whole, so no set is stored half. The same
 * variant and goods twice with the same quantity count once; with different quantities they
 * conflict and the file is refused.
 */
export function planLinkSheetUpload(uploaded: readonly UploadedRow[], context: LinkCheckContext, current: ProductLinkMap): UploadPlan {
  const rows: RowReport[] = [];
  const byVariant = new Map<string, { report: RowReport; component: ProductLinkComponent | null }[]>();
  const firstRowOf = new Map<string, { row: number; quantity: number | null; report: RowReport }>();
  const conflicts = new Map<string, ConflictingRows>();

  for (const u of uploaded) {
    const quantity = u.cstGodCd === '' && u.quantity === '' ? null : parseQuantity(u.quantity);
    const report: RowReport = { row: u.row, variantCode: u.variantCode, cstGodCd: u.cstGodCd || null, quantity, result: 'linked' };
    rows.push(report);
    const refuse = (reason: RowRefusalReason, message: string) => Object.assign(report, { result: 'refused' as const, reason, message });
    if (u.cstGodCd === '' && u.quantity === '') {
      const refusal = u.variantCode === '' ? undefined : variantRefusal(u.variantCode, { ...context, catalogueImported: false });
      if (refusal) refuse(refusal.reason, refusal.message);
      else report.result = 'skipped';
      continue;
    }
    const variant = variantRefusal(u.variantCode, context);
    if (variant) refuse(variant.reason, variant.message);
    else if (u.cstGodCd === '') refuse('missing_goods', `row has a quantity but no FMS goods code`);
    else if (quantity === null) refuse('invalid_quantity', `quantity ${JSON.stringify(u.quantity)} must be a whole number from 1 to ${linkLimits.maxQuantity}`);
    else {
      const goods = componentRefusals([{ cstGodCd: u.cstGodCd, quantity }], context)[0];
      if (goods) refuse(goods.reason, goods.message);
    }
    if (u.cstGodCd !== '' && u.variantCode !== '') {
      const key = `${u.variantCode}\u0000${u.cstGodCd}`;
      const first = firstRowOf.get(key);
      if (first) {
        if (first.quantity !== quantity) {
          const conflict = conflicts.get(key) ?? { variantCode: u.variantCode, cstGodCd: u.cstGodCd, rows: [first.row] };
          conflict.rows.push(u.row);
          conflicts.set(key, conflict);
        } else if (report.result !== 'refused') {
          // An identical repeat adds nothing; it follows the first row's result.
          byVariant.get(u.variantCode)?.push({ report, component: null });
        }
        continue;
      }
      firstRowOf.set(key, { row: u.row, quantity, report });
    }
    const group = byVariant.get(u.variantCode) ?? [];
    group.push({ report, component: report.result === 'refused' || quantity === null ? null : { cstGodCd: u.cstGodCd, quantity } });
    byVariant.set(u.variantCode, group);
  }

  const changes = new Map<string, ProductLinkComponent[]>();
  for (const [variantCode, group] of byVariant) {
    const refused = group.find((g) => g.report.result === 'refused');
    const components = group.flatMap((g) => (g.component ? [g.component] : []));
    const tooMany = components.length > linkLimits.maxComponents;
    if (refused || tooMany) {
      for (const g of group) {
        if (g.report.result === 'refused') continue;
        Object.assign(g.report, {
          result: 'refused' as const,
          ...(tooMany
            ? { reason: 'too_many_components' as const, message: `a link has at most ${linkLimits.maxComponents} goods` }
            : { reason: 'other_row_of_variant_refused' as const, message: `row ${refused!.report.row} of variant ${variantCode} is refused, so its link is left as it is` }),
        });
      }
      continue;
    }
    const before = current.get(variantCode);
    if (before && sameComponents(before, components)) {
      for (const g of group) g.report.result = 'unchanged';
      continue;
    }
    changes.set(variantCode, components);
  }
  return { rows, changes, conflicts: [...conflicts.values()] };
}

/** Counts of an upload report by result. */
export function countRowResults(rows: readonly RowReport[]): Record<RowResult, number> {
  const counts: Record<RowResult, number> = { linked: 0, unchanged: 0, skipped: 0, refused: 0 };
  for (const r of rows) counts[r.result] += 1;
  return counts;
}
