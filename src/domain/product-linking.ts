import { resolveLinks, type ProductLinkComponent, type ProductLinkMap } from './link-resolution.js';
import type { OrderSummary } from './order-summary.js';

/**
 * Rules of product linking (상품연결): when a link of a Cafe24 variant to FMS goods may be stored,
 * which variants auto-match FMS goods by the seller's own codes, and which held orders a change
 * of links makes ready. Pure: callers bring the catalogue facts, the known goods and the links.
 */

/** A Cafe24 variant code (품목코드): letters, digits, _ or -, at most 40. */
export const variantCodePattern = /^[A-Za-z0-9_-]{1,40}$/;
/** Bounds of one link: its goods and the units of each. */
export const linkLimits = { maxComponents: 20, maxQuantity: 9999, maxGoodsCodeLength: 50 } as const;

/** What the imported catalogue says of one variant. */
export interface CatalogueVariantFacts {
  linkable: boolean;
  /** Why not linkable (e.g. 상품 연동형 options, no 품목코드); null when linkable. */
  unlinkableReason: string | null;
}

/** Everything a link is checked against. */
export interface LinkCheckContext {
  /**
   * The catalogue's facts of a variant; `catalogueImported: false` when nothing was imported for
   * the mall yet — then any variant is accepted, as before the import existed.
   */
  catalogueImported: boolean;
  variant: (variantCode: string) => CatalogueVariantFacts | undefined;
  /** A variant on a held order is known even if the import skipped its product (another status). */
  onHeldOrder: (variantCode: string) => boolean;
  goodsKnown: (cstGodCd: string) => boolean;
}

export type LinkRefusalReason =
  | 'invalid_variant_code'
  | 'unknown_variant'
  | 'unlinkable_variant'
  | 'no_components'
  | 'too_many_components'
  | 'duplicate_goods'
  | 'missing_goods'
  | 'unknown_goods'
  | 'invalid_quantity';

export interface LinkRefusal {
  reason: LinkRefusalReason;
  message: string;
  /** The goods code the refusal is about, when it is about one. */
  cstGodCd?: string;
}

const validQuantity = (quantity: number) => Number.isInteger(quantity) && quantity >= 1 && quantity <= linkLimits.maxQuantity;

/** Why the variant itself may not be linked, or undefined when it may. */
export function variantRefusal(variantCode: string, context: LinkCheckContext): LinkRefusal | undefined {
  if (!variantCodePattern.test(variantCode)) {
    return { reason: 'invalid_variant_code', message: `${JSON.stringify(variantCode)} is not a Cafe24 variant code (letters, digits, _ or -, at most 40)` };
  }
  if (!context.catalogueImported) return undefined;
  const facts = context.variant(variantCode);
  if (!facts) {
    if (context.onHeldOrder(variantCode)) return undefined;
    return { reason: 'unknown_variant', message: `variant ${variantCode} is not in the imported Cafe24 catalogue (import the catalogue again if it is new)` };
  }
  if (!facts.linkable) {
    return { reason: 'unlinkable_variant', message: `variant ${variantCode} cannot be linked: ${facts.unlinkableReason ?? 'not linkable'}` };
  }
  return undefined;
}

/** Why the goods and quantities may not be stored as the variant's link; each problem once. */
export function componentRefusals(components: readonly ProductLinkComponent[], context: Pick<LinkCheckContext, 'goodsKnown'>): LinkRefusal[] {
  const refusals: LinkRefusal[] = [];
  if (components.length === 0) refusals.push({ reason: 'no_components', message: 'a link needs at least one FMS goods code' });
  if (components.length > linkLimits.maxComponents) {
    refusals.push({ reason: 'too_many_components', message: `a link has at most ${linkLimits.maxComponents} goods (a set product: one per component)` });
  }
  const seen = new Set<string>();
  for (const { cstGodCd, quantity } of components) {
    if (cstGodCd === '') {
      refusals.push({ reason: 'missing_goods', message: 'the FMS goods code is empty' });
      continue;
    }
    if (seen.has(cstGodCd)) refusals.push({ reason: 'duplicate_goods', message: `goods ${cstGodCd} appears more than once`, cstGodCd });
    seen.add(cstGodCd);
    if (!validQuantity(quantity)) {
      refusals.push({ reason: 'invalid_quantity', message: `quantity of ${cstGodCd} must be a whole number from 1 to ${linkLimits.maxQuantity}`, cstGodCd });
    }
    if (!context.goodsKnown(cstGodCd)) refusals.push({ reason: 'unknown_goods', message: `goods ${cstGodCd} is not registered in FMS for this customer`, cstGodCd });
  }
  return refusals;
}

/** Every reason the link may not be stored; empty when it may. */
export function linkRefusals(variantCode: string, components: readonly ProductLinkComponent[], context: LinkCheckContext): LinkRefusal[] {
  const variant = variantRefusal(variantCode, context);
  return [...(variant ? [variant] : []), ...componentRefusals(components, context)];
}

/** Whether two links ship the same goods in the same units (order of components aside). */
export function sameComponents(a: readonly ProductLinkComponent[], b: readonly ProductLinkComponent[]): boolean {
  if (a.length !== b.length) return false;
  const units = new Map(a.map((c) => [c.cstGodCd, c.quantity]));
  return b.every((c) => units.get(c.cstGodCd) === c.quantity);
}

// ---------------------------------------------------------------------------------------------
// Auto-match

/** One imported variant as auto-match sees it. */
export interface AutoMatchVariant {
  variantCode: string;
  /** False for a product without options: its single variant also matches on the product's own code. */
  hasOptions: boolean;
  customProductCode: string | null;
  customVariantCode: string | null;
  linkable: boolean;
  unlinkableReason: string | null;
}

export interface AutoMatchGoods {
  cstGodCd: string;
  inUse: boolean;
}

export type AutoMatchedOn = 'custom_variant_code' | 'custom_product_code';

export type AmbiguousReason = 'several_goods_match' | 'linked_to_other' | 'unlinkable' | 'goods_not_in_use';

export interface AutoMatchLink {
  variantCode: string;
  cstGodCd: string;
  matchedOn: AutoMatchedOn;
}

export interface AutoMatchAmbiguity {
  variantCode: string;
  reason: AmbiguousReason;
  /** The goods codes the variant's own codes match. */
  candidates: string[];
  /** The variant's current link, when it has one. */
  currentLink: ProductLinkComponent[] | null;
  detail: string;
}

export interface AutoMatchPlan {
  /** Variants to link, one goods each, quantity 1. */
  link: AutoMatchLink[];
  ambiguous: AutoMatchAmbiguity[];
  /** Variants already linked to exactly the goods their code matches. */
  alreadyLinked: number;
  /** Variants without an own code, or whose code matches no goods. */
  unmatched: number;
}

/** Goods matching one code: the exact code if FMS has it, else every code equal ignoring case and spaces around. */
function goodsMatching(code: string, exact: ReadonlyMap<string, AutoMatchGoods>, folded: ReadonlyMap<string, AutoMatchGoods[]>): AutoMatchGoods[] {
  const trimmed = code.trim();
  if (trimmed === '') return [];
  const same = exact.get(trimmed);
  return same ? [same] : (folded.get(trimmed.toUpperCase()) ?? []);
}

/**
 * Links each variant whose own code (자체품목코드, or for a product without options also
 * 자체상품코드) names exactly one FMS goods; a variant whose codes name several goods, that is
 * linked to something else, that cannot be linked, or whose goods FMS no longer uses is listed as
 * ambiguous with the reason instead. Nothing is unlinked or replaced.
 */
export function planAutoMatch(variants: readonly AutoMatchVariant[], goods: readonly AutoMatchGoods[], currentLinks: ProductLinkMap): AutoMatchPlan {
  const exact = new Map(goods.map((g) => [g.cstGodCd, g]));
  const folded = new Map<string, AutoMatchGoods[]>();
  for (const g of goods) {
    const key = g.cstGodCd.trim().toUpperCase();
    folded.set(key, [...(folded.get(key) ?? []), g]);
  }
  const plan: AutoMatchPlan = { link: [], ambiguous: [], alreadyLinked: 0, unmatched: 0 };
  for (const variant of variants) {
    const matches = new Map<string, { goods: AutoMatchGoods; on: AutoMatchedOn }>();
    const codes: [string | null, AutoMatchedOn][] = [[variant.customVariantCode, 'custom_variant_code']];
    if (!variant.hasOptions) codes.push([variant.customProductCode, 'custom_product_code']);
    for (const [code, on] of codes) {
      for (const g of code === null ? [] : goodsMatching(code, exact, folded)) if (!matches.has(g.cstGodCd)) matches.set(g.cstGodCd, { goods: g, on });
    }
    if (matches.size === 0) {
      plan.unmatched += 1;
      continue;
    }
    const candidates = [...matches.keys()].sort();
    const current = currentLinks.get(variant.variantCode);
    const currentLink = current ? [...current] : null;
    const ambiguous = (reason: AmbiguousReason, detail: string) => plan.ambiguous.push({ variantCode: variant.variantCode, reason, candidates, currentLink, detail });
    if (!variant.linkable) {
      ambiguous('unlinkable', `the variant cannot be linked: ${variant.unlinkableReason ?? 'not linkable'}`);
      continue;
    }
    if (matches.size > 1) {
      ambiguous('several_goods_match', `the variant's own codes match ${candidates.length} FMS goods: ${candidates.join(', ')}`);
      continue;
    }
    const [{ goods: match, on }] = [...matches.values()] as [{ goods: AutoMatchGoods; on: AutoMatchedOn }];
    if (current && sameComponents(current, [{ cstGodCd: match.cstGodCd, quantity: 1 }])) {
      plan.alreadyLinked += 1;
      continue;
    }
    if (current) {
      ambiguous('linked_to_other', `already linked to ${current.map((c) => `${c.cstGodCd}×${c.quantity}`).join(' + ')}; change it by hand if ${match.cstGodCd} is right`);
      continue;
    }
    if (!match.inUse) {
      ambiguous('goods_not_in_use', `FMS goods ${match.cstGodCd} is marked not in use`);
      continue;
    }
    plan.link.push({ variantCode: variant.variantCode, cstGodCd: match.cstGodCd, matchedOn: on });
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Held orders a change makes ready

/** A held (unlinked) order: its summary, limited to the items it is held for. */
export type HeldOrder = OrderSummary;

/** Every variant code a held order's resolution depends on. */
export function variantCodesOfHeldOrders(orders: readonly HeldOrder[]): Set<string> {
  const codes = new Set<string>();
  for (const item of orders.flatMap((o) => o.items)) {
    if (item.variantCode) codes.add(item.variantCode);
    for (const component of item.bundleComponents ?? []) codes.add(component.variantCode);
  }
  return codes;
}

/** The held orders that the links `after` resolve completely and the links `before` did not. */
export function newlyReadyOrders(orders: readonly HeldOrder[], before: ProductLinkMap, after: ProductLinkMap): HeldOrder[] {
  const readyBefore = new Set(resolveLinks(orders, before).flatMap((r) => (r.kind === 'ready' ? [r.orderId] : [])));
  const readyAfter = new Set(resolveLinks(orders, after).flatMap((r) => (r.kind === 'ready' ? [r.orderId] : [])));
  return orders.filter((o) => readyAfter.has(o.orderId) && !readyBefore.has(o.orderId));
}
