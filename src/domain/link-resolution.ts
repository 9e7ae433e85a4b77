import type { OptionType } from './order.js';
import type { OrderItemSummary, OrderSummary } from './order-summary.js';

/** One FMS goods code and how many of it one unit of a Cafe24 variant is. */
export interface ProductLinkComponent {
  cstGodCd: string;
  quantity: number;
}

/** variant_code → the FMS goods it ships as. */
export type ProductLinkMap = ReadonlyMap<string, readonly ProductLinkComponent[]>;

export type UnlinkedReason =
  /** The item's variant (or a bundle component's) has no product link. */
  | 'no_link'
  /** 상품 연동형 (option type E) products cannot be linked. */
  | 'unlinkable_option_type'
  /** Cafe24 sent no variant code for the item. */
  | 'missing_variant_code'
  /** The item itself is linked, but another item of its order is not. */
  | 'other_item_unlinked';

export interface ShipmentLine {
  cstGodCd: string;
  quantity: number;
}

/** One order item and the goods it ships as (bundles expanded, quantities multiplied out). */
export interface ResolvedItem {
  orderItemCode: string;
  lines: ShipmentLine[];
}

export interface ReadyOrder {
  kind: 'ready';
  orderId: string;
  shopNo: number;
  /** Every item with its own goods: invoice sync tells from them which items a partial shipment covers. */
  items: ResolvedItem[];
  /** The goods to request: the items' lines merged. */
  lines: ShipmentLine[];
}

export interface UnlinkedOrder {
  kind: 'unlinked';
  orderId: string;
  shopNo: number;
  paidAt: string | null;
  items: { orderItemCode: string; variantCode: string | null; reason: UnlinkedReason }[];
}

export type ResolvedOrder = ReadyOrder | UnlinkedOrder;

/** Every variant code whose link decides an order: the items' own and their bundle components'. */
export function variantCodesToResolve(orders: readonly OrderSummary[]): string[] {
  const codes = new Set<string>();
  for (const item of orders.flatMap((o) => o.items)) {
    if (item.variantCode) codes.add(item.variantCode);
    for (const component of item.bundleComponents ?? []) codes.add(component.variantCode);
  }
  return [...codes].sort();
}

/** Why a Cafe24 variant can never be linked, whatever links exist. */
export type UnlinkableReason = Extract<UnlinkedReason, 'unlinkable_option_type' | 'missing_variant_code'>;

/** A linkable variant comes with its 품목코드, the key of its link. */
export type Linkability = { linkable: true; reason: null; variantCode: string } | { linkable: false; reason: UnlinkableReason };

/**
 * Whether a variant can be linked at all: not a 상품 연동형 (option type E) product's, and it has a
 * 품목코드. Decides order items at collection and catalogue items before any order arrives.
 */
export function variantLinkability(variant: { optionType: OptionType | null; variantCode: string | null }): Linkability {
  if (variant.optionType === 'E') return { linkable: false, reason: 'unlinkable_option_type' };
  if (!variant.variantCode) return { linkable: false, reason: 'missing_variant_code' };
  return { linkable: true, reason: null, variantCode: variant.variantCode };
}

type ItemResolution = { ok: true; lines: ShipmentLine[] } | { ok: false; reason: Exclude<UnlinkedReason, 'other_item_unlinked'> };

function resolveItem(item: OrderItemSummary, links: ProductLinkMap): ItemResolution {
  const linkability = variantLinkability(item);
  if (!linkability.linkable) return { ok: false, reason: linkability.reason };
  // A set product linked as a whole ships as its own link; otherwise it ships as its components.
  const own = links.get(linkability.variantCode);
  if (own) return { ok: true, lines: own.map((c) => ({ cstGodCd: c.cstGodCd, quantity: c.quantity * item.quantity })) };
  if (!item.bundleComponents) return { ok: false, reason: 'no_link' };
  const lines: ShipmentLine[] = [];
  for (const component of item.bundleComponents) {
    const linked = links.get(component.variantCode);
    if (!linked) return { ok: false, reason: 'no_link' };
    lines.push(...linked.map((c) => ({ cstGodCd: c.cstGodCd, quantity: c.quantity * component.quantity * item.quantity })));
  }
  return { ok: true, lines };
}

/** Lines of the same goods code become one line with the summed quantity, in first-seen order. */
function mergeLines(lines: readonly ShipmentLine[]): ShipmentLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.cstGodCd, (merged.get(line.cstGodCd) ?? 0) + line.quantity);
  return [...merged].map(([cstGodCd, quantity]) => ({ cstGodCd, quantity }));
}

/**
 * An order whose (eligible) items all resolve to FMS goods is ready to request; any other order is
 * held as unlinked, with a reason for each of its items — an order ships whole or not at all.
 */
export function resolveLinks(orders: readonly OrderSummary[], links: ProductLinkMap): ResolvedOrder[] {
  return orders.map((order): ResolvedOrder => {
    const resolutions = order.items.map((item) => ({ item, resolution: resolveItem(item, links) }));
    if (resolutions.every((r) => r.resolution.ok)) {
      return {
        kind: 'ready',
        orderId: order.orderId,
        shopNo: order.shopNo,
        items: resolutions.map(({ item, resolution }) => ({ orderItemCode: item.orderItemCode, lines: resolution.ok ? resolution.lines : [] })),
        lines: mergeLines(resolutions.flatMap((r) => (r.resolution.ok ? r.resolution.lines : []))),
      };
    }
    return {
      kind: 'unlinked',
      orderId: order.orderId,
      shopNo: order.shopNo,
      paidAt: order.paidAt,
      items: resolutions.map(({ item, resolution }) => ({
        orderItemCode: item.orderItemCode,
        variantCode: item.variantCode,
        reason: resolution.ok ? 'other_item_unlinked' : resolution.reason,
      })),
    };
  });
}
