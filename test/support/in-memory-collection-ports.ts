import type { OrderSource, PaidOrdersPage, PaidOrdersQuery, ShipmentAnswer, ShipmentRequest, ShipmentRequester } from '../../src/activities/collection/ports.js';
import { addDays, kstDate, kstInstant } from '../../src/domain/kst.js';
import type { StoredOrder } from '../../src/domain/order.js';
import type { ShipmentOutcome } from '../../src/domain/shipment-outcome.js';

/**
 * Temporary stand-ins for the Cafe24 and FMS simulators (issues 4 and 5), which are built in
 * parallel: in-memory implementations of the collection ports with the same contracts, so the
 * workflow runs on a real Temporal server and real PostgreSQL. Replace with the simulator-backed
 * adapters once they are merged.
 */

/** 00:00 KST of the day before the KST day of `instant`. */
const kstDayBefore = (instant: string) => kstInstant(addDays(kstDate(new Date(instant)), -1)).toISOString();

/**
 * Orders per mall link id; pages are offsets over orders sorted by payment (or order) time.
 * Deliberately generous at the lower end, like a source that filters by whole KST days with a
 * day of overlap: it also returns orders paid up to a day before `from`, so the selection's own
 * window rules (before_start, outside_range) are exercised, as they must hold whatever a source sends.
 */
export class InMemoryOrderSource implements OrderSource {
  private readonly orders = new Map<string, StoredOrder[]>();
  private gate: { opened: Promise<void>; open: () => void } | null = null;
  private readonly arrivals: (() => void)[] = [];
  readonly queries: PaidOrdersQuery[] = [];

  /** Adds or replaces orders of a link (by order id). */
  put(mallLinkId: string, orders: StoredOrder[]): void {
    const byId = new Map((this.orders.get(mallLinkId) ?? []).map((o) => [o.orderId, o]));
    for (const order of orders) byId.set(order.orderId, order);
    this.orders.set(mallLinkId, [...byId.values()]);
  }

  /** Holds every fetch until the returned function is called. */
  hold(): () => void {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { opened, open };
    return () => {
      this.gate = null;
      open();
    };
  }

  /** Resolves once a fetch has arrived (and, if held, is waiting). */
  nextFetch(): Promise<void> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  async fetchPaidOrders(query: PaidOrdersQuery): Promise<PaidOrdersPage> {
    this.queries.push(query);
    for (const arrived of this.arrivals.splice(0)) arrived();
    if (this.gate) await this.gate.opened;
    // A query by order date, as Cafe24's list allows: unpaid orders come along and selection sorts them out.
    const at = (o: StoredOrder) => o.paidAt ?? o.orderedAt;
    const matching = (this.orders.get(query.mall.mallLinkId) ?? [])
      .filter((o) => o.shopNo === query.shopNo && at(o) >= kstDayBefore(query.from) && at(o) <= query.to)
      .sort((a, b) => at(a).localeCompare(at(b)) || a.orderId.localeCompare(b.orderId));
    const offset = query.cursor === null ? 0 : Number(query.cursor);
    const orders = matching.slice(offset, offset + query.limit);
    const next = offset + orders.length;
    return { orders, nextCursor: next < matching.length ? String(next) : null };
  }
}

/** Exactly once per (mall link, shop, order), like the FMS primitive: a repeat gets the first slip. */
export class InMemoryShipmentRequester implements ShipmentRequester {
  private readonly slips = new Map<string, string>();
  /** Every request that created a slip, in order. */
  readonly created: { mallLinkId: string; shopNo: number; orderId: string; lines: ShipmentRequest['lines'] }[] = [];
  /** Orders asked for, over all calls. */
  calls = 0;
  /** Calls made (batches). */
  batches = 0;

  constructor(private readonly options: { outOfStock?: string[]; unknownGoods?: string[] } = {}) {}

  async requestShipments(requests: readonly ShipmentRequest[]): Promise<ShipmentAnswer[]> {
    this.batches += 1;
    return requests.map((request) => ({ outcome: this.requestOne(request) }));
  }

  private requestOne(request: ShipmentRequest): ShipmentOutcome {
    this.calls += 1;
    const key = `${request.link.mallLinkId}/${request.shopNo}/${request.order.orderId}`;
    const existing = this.slips.get(key);
    if (existing) return { kind: 'requested', slipNo: existing, source: 'ledger', outOfStock: [], payloadChanged: false };
    const unknown = request.lines.find((l) => this.options.unknownGoods?.includes(l.cstGodCd));
    if (unknown) return { kind: 'rejected', reason: `unknown goods code ${unknown.cstGodCd}` };
    const slipNo = `SLIP-${String(this.created.length + 1).padStart(6, '0')}`;
    this.slips.set(key, slipNo);
    this.created.push({ mallLinkId: request.link.mallLinkId, shopNo: request.shopNo, orderId: request.order.orderId, lines: request.lines });
    const outOfStock = request.lines
      .filter((l) => this.options.outOfStock?.includes(l.cstGodCd))
      .map((l) => ({ cstGodCd: l.cstGodCd, ordQty: l.quantity, stockQty: 0 }));
    return { kind: 'requested', slipNo, source: 'created', outOfStock, payloadChanged: false };
  }

  /** Orders with more than one created request (must always be empty). */
  duplicates(): string[] {
    const seen = new Map<string, number>();
    for (const c of this.created) seen.set(`${c.mallLinkId}/${c.shopNo}/${c.orderId}`, (seen.get(`${c.mallLinkId}/${c.shopNo}/${c.orderId}`) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  }
}
