import { ApplicationFailure } from '@temporalio/activity';
import { heartbeat, heartbeating, stopIfCancelled } from '../heartbeat.js';
import type { Db } from '../../db/database.js';
import { findCarrierMappings } from '../../db/repositories/carrier-mappings.js';
import {
  findRequestsExaminedBy,
  findUnsettledShipmentRequests,
  markInvoicesSettled,
  markShipmentCancelled,
  recordFmsProgress,
  withShipmentRequestLock,
} from '../../db/repositories/fms-shipment-requests.js';
import {
  countItemsSyncedBy,
  findInvoiceRegistrationsByOrdNo,
  holdInvoiceRegistrations,
  markInvoicesRejected,
  markInvoicesPending,
  markInvoicesSending,
  markInvoicesSynced,
  nextInvoiceRegistrations,
  planInvoiceRegistrations,
  withInvoiceRegistrationLock,
  type ShippedItemEntry,
} from '../../db/repositories/invoice-registrations.js';
import { findCancellation, findRequestsToSweep, markCancelSending, recordCancellation } from '../../db/repositories/cancellations.js';
import { finishInvoiceSyncRun, startInvoiceSyncRun } from '../../db/repositories/invoice-sync-runs.js';
import { findMallLinkById } from '../../db/repositories/mall-links.js';
import { findRequestedItemCodes } from '../../db/repositories/order-trail.js';
import {
  cafe24CarrierCode,
  cleanInvoiceNo,
  findRegisteredShipment,
  invoiceRequestOutcome,
  invoiceRunMode,
  invoiceSettled,
  newRegistrationHold,
  registrationOnItem,
  shippedItems,
  type InvoiceOutcomeCounts,
} from '../../domain/invoice-sync.js';
import { decideCancellation, outcomeOfRefusedCancel, outcomeOfUnansweredCancel, type Cafe24ItemState, type CancellationOutcome } from '../../domain/cancellations.js';
import { isShippedStatus } from '../../domain/fms-progress.js';
import { chunk, groupBy } from '../../domain/grouping.js';
import type { ResolvedItem } from '../../domain/link-resolution.js';
import type { FmsShipmentRequestRow, InvoiceRegistrationRow } from '../../../db/schema.js';
import {
  invoiceErrorTypes,
  type CancellationCounts,
  type InvoiceRunRef,
  type InvoiceSyncActivities,
  type InvoiceSyncPlan,
  type InvoiceSyncStart,
  type PlanInvoiceSyncInput,
} from '../../temporal/invoices.js';
import type { FmsCanceller, FmsProgressReader, FmsRequestProgress, FmsRequestRef, MallRef, OrderStatusReader, ShipmentRegistrar, ShipmentToRegister } from './ports.js';

/** Unsettled requests read per activity: one FMS list covers them, and the history entry stays small. */
const requestsPerProgressPage = 500;
/** Cafe24 takes at most 100 shipments per bulk call. */
const shipmentsPerCall = 100;
/** Open requests checked for cancellations per activity: one Cafe24 read per shop and order day. */
const requestsPerCancellationPage = 100;
/** Requests the books read per statement. */
const requestsPerBooksPage = 1000;
/** Orders read back from Cafe24 between two heartbeats (at worst one paced call each). */
const ordersPerStatusRead = 25;

/** Registration calls startInvoiceSync makes before it hands over to the workflow (≤100 items each). */
const registrationCallsAtStart = 3;

/** The mall as the steps need it; a step run as an activity of its own reads it from the link. */
type InvoiceMall = MallRef & { cstCd: string };

export interface InvoiceActivityDeps {
  db: Db;
  fmsProgress: FmsProgressReader;
  registrar: ShipmentRegistrar;
  /** Cafe24 orders read back by id, for the cancellation sweep. */
  orderStatus: OrderStatusReader;
  canceller: FmsCanceller;
}

export function createInvoiceActivities({ db, fmsProgress, registrar, orderStatus, canceller }: InvoiceActivityDeps): InvoiceSyncActivities {
  async function mallOf(mallLinkId: string): Promise<InvoiceMall> {
    const link = await findMallLinkById(db, mallLinkId);
    if (!link) throw ApplicationFailure.nonRetryable(`mall link ${mallLinkId} no longer exists`, invoiceErrorTypes.linkNotFound);
    return { mallLinkId, mallId: link.mall_id, cstCd: link.cst_cd };
  }

  /** The items a request ships: recorded with it, or for older requests the items the trail says were requested (goods unknown). */
  async function itemsOf(request: FmsShipmentRequestRow): Promise<ResolvedItem[]> {
    if (request.items !== null) return request.items;
    return (await findRequestedItemCodes(db, request.mall_link_id, request.order_id)).map((orderItemCode) => ({ orderItemCode, lines: [] }));
  }

  const cancelInFms = (cstCd: string, request: FmsShipmentRequestRow, record: Omit<Parameters<typeof recordCancellation>[1], 'outcome'>, alreadyCancelled: boolean) =>
    cancelInFmsOnce(db, canceller, cstCd, request, record, alreadyCancelled);

  const activities = {
    async planInvoiceSync(input): Promise<InvoiceSyncPlan> {
      const link = await findMallLinkById(db, input.mallLinkId);
      const start = { mallLinkId: input.mallLinkId, workflowId: input.workflowId, runId: input.runId, trigger: input.trigger, slotAt: input.slotAt };
      const mode = link ? invoiceRunMode(link, input.slotAt) : { skip: 'link_not_found' as const };
      if (mode.skip) {
        const run = await startInvoiceSyncRun(db, { ...start, status: 'skipped', outcome: mode.skip });
        return { kind: 'skipped', outcome: mode.skip, invoiceSyncRunId: run.id, mallId: link?.mall_id ?? null, cstCd: link?.cst_cd ?? null };
      }
      const run = await startInvoiceSyncRun(db, { ...start, status: 'running', outcome: 'running' });
      return { kind: 'ready', invoiceSyncRunId: run.id, mallId: link!.mall_id, cstCd: link!.cst_cd, watchOnly: mode.watchOnly };
    },

    /**
     * Reads FMS progress for the next page of unsettled requests, records it on each request, and
     * plans a registration for every item FMS has shipped (held when it cannot be registered yet).
     */
    async readFmsProgress({ mallLinkId, invoiceSyncRunId, afterOrdNo, watchOnly = false }, known?: InvoiceMall) {
      const mall = known ?? (await mallOf(mallLinkId));
      const requests = await findUnsettledShipmentRequests(db, mallLinkId, { afterOrdNo, limit: requestsPerProgressPage });
      if (requests.length === 0) return { examined: 0, itemsShipped: 0, nextAfterOrdNo: null };
      const progress = await fmsProgress.readProgress({
        cstCd: mall.cstCd,
        requests: requests.map((r) => ({ ordNo: r.ord_no, slipNo: r.fms_slip_no!, ordDt: r.ord_dt, lastStatus: r.fms_status })),
      });
      heartbeat();
      const mappings = await findCarrierMappings(db);
      // The page's planned registrations are written in one statement; a hold writes those planned before it first, so an item
      // listed by two requests ends as their order leaves it.
      let planned: ShippedItemEntry[] = [];
      const hold = async (entries: Parameters<typeof holdInvoiceRegistrations>[2], reason: Parameters<typeof holdInvoiceRegistrations>[3]) => {
        if (entries.length === 0) return;
        await planInvoiceRegistrations(db, mallLinkId, planned);
        planned = [];
        await holdInvoiceRegistrations(db, mallLinkId, entries, reason);
      };
      let itemsShipped = 0;
      for (const request of requests) {
        const seen = progress.get(request.ord_no);
        if (watchOnly || !seen || !isShippedStatus(seen.status)) continue;
        const parcels = parcelsOf(seen);
        const items = await itemsOf(request);
        const ref = (orderItemCode: string) => ({ orderItemCode, orderId: request.order_id, shopNo: request.shop_no, ordNo: request.ord_no });
        if (parcels.length === 0) {
          await hold(seen.status === 'DONE' ? items.map((i) => ref(i.orderItemCode)) : [], 'missing_invoice_no');
          continue;
        }
        if (seen.status === 'PARTDONE' && request.items === null) {
          await hold(items.map((i) => ref(i.orderItemCode)), 'items_unknown');
          continue;
        }
        const entries: ShippedItemEntry[] = shippedItems(seen.status, items, parcels).map((s) => {
          const shippingCompanyCode = cafe24CarrierCode(mappings, s.carrier);
          return { ...ref(s.orderItemCode), invoiceNo: s.invoiceNo, carrier: s.carrier, shippingCompanyCode, hold: newRegistrationHold(shippingCompanyCode) };
        });
        planned.push(...entries);
        itemsShipped += entries.length;
      }
      await planInvoiceRegistrations(db, mallLinkId, planned);
      // Recorded after the planning: a retry of an attempt that failed before it still reads FMS
      // with the statuses it knew before (a request gone DONE since is read in detail again).
      await recordFmsProgress(
        db,
        invoiceSyncRunId,
        requests.map((request) => {
          const seen = progress.get(request.ord_no);
          return {
            ordNo: request.ord_no,
            progress: seen
              ? { status: seen.status, rawStatus: seen.rawStatus, invoices: parcelsOf(seen).map((p) => ({ invoiceNo: p.invoiceNo, carrierKey: p.carrier?.key ?? null, carrierName: p.carrier?.name ?? null })) }
              : null,
          };
        }),
      );
      const last = requests[requests.length - 1]!;
      return { examined: requests.length, itemsShipped, nextAfterOrdNo: requests.length === requestsPerProgressPage ? last.ord_no : null };
    },

    /**
     * Checks the next page of open requests against their orders as Cafe24 holds them now, decides
     * with the pure rule and acts: records a hold or a too-late flag, or cancels in FMS (below).
     */
    async sweepCancellations({ mallLinkId, invoiceSyncRunId, afterOrdNo }, known?: InvoiceMall) {
      const mall = known ?? (await mallOf(mallLinkId));
      const requests = await findRequestsToSweep(db, mallLinkId, { afterOrdNo, limit: requestsPerCancellationPage, invoiceSyncRunId });
      if (requests.length === 0) return { examined: 0, counts: {}, nextAfterOrdNo: null };
      const states = new Map<string, Cafe24ItemState[]>();
      for (const [shopNo, ofShop] of groupBy(requests, (r) => r.shop_no)) {
        // A heartbeat every few ids: ids of many different days take one paced Cafe24 call each.
        for (const batch of chunk(ofShop, ordersPerStatusRead)) {
          const orderIds = batch.map((r) => r.order_id);
          for (const order of await orderStatus.itemStates(mall, shopNo, orderIds)) states.set(order.orderId, order.items);
          heartbeat();
        }
      }
      const counts: CancellationCounts = {};
      for (const request of requests) {
        const requested = new Set((await itemsOf(request)).map((i) => i.orderItemCode));
        const items = (states.get(request.order_id) ?? []).filter((i) => requested.has(i.orderItemCode));
        const decision = decideCancellation(items, request.fms_status);
        const record = { ordNo: request.ord_no, mallLinkId, shopNo: request.shop_no, orderId: request.order_id, fmsStatus: request.fms_status, invoiceSyncRunId };
        let found: string = decision.kind;
        if (decision.kind === 'hold_partial') {
          found = (await recordCancellation(db, { ...record, outcome: 'held', cancelledItems: decision.cancelledItems })).outcome;
        } else if (decision.kind === 'too_late') {
          found = (await recordCancellation(db, { ...record, outcome: 'too_late', cancelledItems: decision.cancelledItems })).outcome;
        } else if (decision.kind === 'already_cancelled' || decision.kind === 'cancel_in_fms') {
          found = await cancelInFms(mall.cstCd, request, { ...record, cancelledItems: [...requested] }, decision.kind === 'already_cancelled');
          heartbeat();
        }
        counts[found] = (counts[found] ?? 0) + 1;
      }
      const last = requests[requests.length - 1]!;
      return { examined: requests.length, counts, nextAfterOrdNo: requests.length === requestsPerCancellationPage ? last.ord_no : null };
    },

    /**
     * Sends the next ≤100 registrations of one shop under the mall's invoice lock. Registrations
     * whose answer was lost (left `sending`) are read back from Cafe24 first and only sent again when
     * Cafe24 does not hold them; a refused one counts only after reading back that it is not there.
     */
    async registerInvoices({ mallLinkId, invoiceSyncRunId }, known?: InvoiceMall) {
      const mall = known ?? (await mallOf(mallLinkId));
      return withInvoiceRegistrationLock(db, mallLinkId, async (conn) => {
        const { rows, more } = await nextInvoiceRegistrations(conn, mallLinkId, shipmentsPerCall);
        if (rows.length === 0) return { synced: 0, rejected: 0, cafe24Calls: 0, more: false };
        const shopNo = rows[0]!.shop_no;
        let synced = 0;
        let rejected = 0;
        let cafe24Calls = 0;

        // Reads these registrations back and marks the ones Cafe24 holds synced; answers the ones it
        // does not. The order list tells most of them at once (registrationOnItem), up to 100 orders
        // of one order day a call; an item it leaves unknown is looked for in its order's shipments.
        const readBack = async (candidates: readonly InvoiceRegistrationRow[]): Promise<InvoiceRegistrationRow[]> => {
          const found: { orderItemCode: string; shippingCode: string }[] = [];
          const missing: InvoiceRegistrationRow[] = [];
          const unknown: InvoiceRegistrationRow[] = [];
          const { items, calls } = await registrar.itemShipping(mall, shopNo, [...new Set(candidates.map((r) => r.order_id))]);
          cafe24Calls += calls;
          heartbeat();
          const itemByCode = new Map(items.map((item) => [item.orderItemCode, item]));
          for (const row of candidates) {
            const seen = registrationOnItem(itemByCode.get(row.order_item_code), row.invoice_no);
            if (seen.kind === 'found') found.push({ orderItemCode: row.order_item_code, shippingCode: seen.shippingCode });
            else if (seen.kind === 'absent') missing.push(row);
            else unknown.push(row);
          }
          for (const [orderId, rows] of groupBy(unknown, (r) => r.order_id)) {
            const shipments = await registrar.shipmentsOf(mall, shopNo, orderId);
            cafe24Calls += 1;
            heartbeat();
            for (const row of rows) {
              const shippingCode = findRegisteredShipment(shipments, { orderItemCode: row.order_item_code, invoiceNo: row.invoice_no });
              if (shippingCode === null) missing.push(row);
              else found.push({ orderItemCode: row.order_item_code, shippingCode });
            }
          }
          await markInvoicesSynced(conn, mallLinkId, found, invoiceSyncRunId);
          synced += found.length;
          return missing;
        };

        const toSend: InvoiceRegistrationRow[] = rows.filter((r) => r.status === 'pending');
        const unanswered = rows.filter((r) => r.status === 'sending');
        if (unanswered.length > 0) {
          const missing = await readBack(unanswered);
          await markInvoicesPending(conn, mallLinkId, missing.map((r) => r.order_item_code));
          toSend.push(...missing);
        }
        if (toSend.length === 0) return { synced, rejected, cafe24Calls, more };

        const shipments = [...groupBy(toSend, (r) => `${r.order_id}\u0000${r.invoice_no}\u0000${r.shipping_company_code}`).values()];
        const objects: ShipmentToRegister[] = shipments.map((group) => ({
          orderId: group[0]!.order_id,
          orderItemCodes: group.map((r) => r.order_item_code),
          trackingNo: group[0]!.invoice_no,
          shippingCompanyCode: group[0]!.shipping_company_code!,
        }));
        await markInvoicesSending(conn, mallLinkId, toSend.map((r) => r.order_item_code));
        const { answers, calls } = await registrar.register(mall, shopNo, objects);
        cafe24Calls += calls;
        heartbeat();
        // Every accepted shipment in one statement, before any read-back of a refused one can fail the attempt.
        const accepted = shipments.flatMap((group, i) => {
          const answer = answers[i]!;
          return answer.ok ? group.map((row) => ({ orderItemCode: row.order_item_code, shippingCode: answer.shippingCode })) : [];
        });
        await markInvoicesSynced(conn, mallLinkId, accepted, invoiceSyncRunId);
        synced += accepted.length;
        // "Already registered" and refusals alike count only after reading the orders back.
        const refusal = new Map<string, string>();
        for (const [i, group] of shipments.entries()) {
          const answer = answers[i]!;
          if (!answer.ok) for (const row of group) refusal.set(row.order_item_code, answer.message);
        }
        if (refusal.size > 0) {
          const missing = await readBack(toSend.filter((row) => refusal.has(row.order_item_code)));
          for (const [message, rowsRefused] of groupBy(missing, (row) => refusal.get(row.order_item_code)!)) {
            await markInvoicesRejected(conn, mallLinkId, rowsRefused.map((row) => row.order_item_code), message, invoiceSyncRunId);
          }
          rejected += missing.length;
        }
        // Every row of this batch is answered or read back by now (or the attempt failed above).
        return { synced, rejected, cafe24Calls, more };
      });
    },

    /** Counts the run's books from the requests it examined, settles finished requests, closes the ledger row. */
    async finishInvoiceSync({ invoiceSyncRunId, status, error, cancellations, watchOnly = false }) {
      const counts: InvoiceOutcomeCounts = {};
      let requestsExamined = 0;
      let afterOrdNo: string | null = null;
      for (let more = true; more; ) {
        const requests = await findRequestsExaminedBy(db, invoiceSyncRunId, { afterOrdNo, limit: requestsPerBooksPage });
        more = requests.length === requestsPerBooksPage;
        if (requests.length === 0) break;
        const registrations = groupBy(await findInvoiceRegistrationsByOrdNo(db, requests.map((r) => r.ord_no)), (r) => r.ord_no);
        const settled: string[] = [];
        for (const request of requests) {
          const mine = registrations.get(request.ord_no) ?? [];
          const outcome = invoiceRequestOutcome({ status: request.fms_status, listed: request.invoice_listed === true, registrations: mine, watchOnly });
          counts[outcome] = (counts[outcome] ?? 0) + 1;
          if (invoiceSettled(request.fms_status, (await itemsOf(request)).length, mine, watchOnly)) settled.push(request.ord_no);
        }
        await markInvoicesSettled(db, settled);
        requestsExamined += requests.length;
        afterOrdNo = requests[requests.length - 1]!.ord_no;
      }
      const itemsSynced = await countItemsSyncedBy(db, invoiceSyncRunId);
      await finishInvoiceSyncRun(db, invoiceSyncRunId, {
        status,
        outcome: status === 'completed' ? 'synced' : 'failed',
        requestsExamined,
        counts: counts as Record<string, number>,
        itemsSynced,
        error,
        cancellationCounts: cancellations as Record<string, number>,
      });
      return { requestsExamined, counts, itemsSynced };
    },
  } satisfies Omit<InvoiceSyncActivities, 'startInvoiceSync'>;

  async function startInvoiceSync(input: PlanInvoiceSyncInput): Promise<InvoiceSyncStart> {
    const plan = await activities.planInvoiceSync(input);
    if (plan.kind !== 'ready') return { plan, progress: null };
    const run: InvoiceRunRef = { mallLinkId: input.mallLinkId, invoiceSyncRunId: plan.invoiceSyncRunId, watchOnly: plan.watchOnly };
    // The steps below run in this activity right after the plan read the link: they take the mall from it.
    const mall: InvoiceMall = { mallLinkId: input.mallLinkId, mallId: plan.mallId, cstCd: plan.cstCd };
    const progress: NonNullable<InvoiceSyncStart['progress']> = {
      phase: 'read',
      afterOrdNo: null,
      requestsExamined: 0,
      itemsShipped: 0,
      itemsSynced: 0,
      itemsRejected: 0,
      cafe24Calls: 0,
      cancellationsExamined: 0,
      cancellations: {},
      books: null,
    };
    stopIfCancelled();
    const read = await activities.readFmsProgress({ ...run, afterOrdNo: null }, mall);
    progress.requestsExamined += read.examined;
    progress.itemsShipped += read.itemsShipped;
    if (read.nextAfterOrdNo !== null) return { plan, progress: { ...progress, afterOrdNo: read.nextAfterOrdNo } };
    progress.phase = 'cancellations';
    stopIfCancelled();
    const swept = await activities.sweepCancellations({ ...run, afterOrdNo: null }, mall);
    progress.cancellationsExamined += swept.examined;
    for (const [kind, n] of Object.entries(swept.counts)) progress.cancellations[kind] = (progress.cancellations[kind] ?? 0) + (n ?? 0);
    if (swept.nextAfterOrdNo !== null) return { plan, progress: { ...progress, afterOrdNo: swept.nextAfterOrdNo } };
    progress.phase = 'register';
    for (let call = 0; !plan.watchOnly; call += 1) {
      if (call === registrationCallsAtStart) return { plan, progress };
      stopIfCancelled();
      const registered = await activities.registerInvoices(run, mall);
      progress.itemsSynced += registered.synced;
      progress.itemsRejected += registered.rejected;
      progress.cafe24Calls += registered.cafe24Calls;
      if (!registered.more) break;
    }
    stopIfCancelled();
    progress.books = await activities.finishInvoiceSync({ ...run, status: 'completed', error: null, cancellations: progress.cancellations });
    return { plan, progress };
  }

  return {
    ...activities,
    startInvoiceSync,
    readFmsProgress: heartbeating(activities.readFmsProgress),
    sweepCancellations: heartbeating(activities.sweepCancellations),
    registerInvoices: heartbeating(activities.registerInvoices),
  };
}

/** The parcels FMS lists for a request that carry a usable tracking number, cleaned. */
function parcelsOf(seen: FmsRequestProgress) {
  return seen.parcels.flatMap((p) => {
    const invoiceNo = cleanInvoiceNo(p.invoiceNo);
    return invoiceNo === null ? [] : [{ ...p, invoiceNo }];
  });
}

/**
 * Cancels one request in FMS exactly once, under the ordNo's shipment lock (a create or cancel of the
 * same order waits): the intent is recorded and marked sent before the call, so after a lost answer
 * the next attempt reads FMS's status back instead of cancelling again. A refusal is read back too:
 * past ORDER it is too late. Returns the outcome recorded.
 */
async function cancelInFmsOnce(
  db: Db,
  canceller: FmsCanceller,
  cstCd: string,
  request: FmsShipmentRequestRow,
  record: Omit<Parameters<typeof recordCancellation>[1], 'outcome'>,
  alreadyCancelled: boolean,
): Promise<CancellationOutcome> {
  const ref: FmsRequestRef = { ordNo: request.ord_no, slipNo: request.fms_slip_no!, ordDt: request.ord_dt };
  return withShipmentRequestLock(db, request.ord_no, async (conn) => {
    const resolve = async (outcome: CancellationOutcome, fms?: { code: string; message: string }, fmsStatus = record.fmsStatus) => {
      const row = await recordCancellation(conn, { ...record, outcome, fms, fmsStatus });
      if (row.outcome === 'cancelled_in_fms') await markShipmentCancelled(conn, request.ord_no);
      return row.outcome;
    };
    const existing = await findCancellation(conn, request.ord_no);
    if (existing && existing.outcome !== 'pending' && existing.outcome !== 'held') return existing.outcome;
    if (alreadyCancelled) return resolve('cancelled_in_fms', { code: 'CANCEL', message: 'FMS already lists the request as cancelled' }, 'CANCEL');
    if (existing?.last_sent_at) {
      // An earlier cancel may have landed and its answer been lost: look before sending again.
      const status = await canceller.statusOf(cstCd, ref);
      const outcome = outcomeOfUnansweredCancel(status);
      if (outcome) return resolve(outcome, { code: status ?? 'NOT_LISTED', message: `read back after an unanswered cancel: FMS lists ${status ?? 'nothing'}` }, status);
    }
    await recordCancellation(conn, { ...record, outcome: 'pending' });
    await markCancelSending(conn, request.ord_no);
    const answer = await canceller.cancel(cstCd, ref);
    if (answer.ok) return resolve('cancelled_in_fms', { code: 'OK', message: 'cancelled' }, 'CANCEL');
    const status = await canceller.statusOf(cstCd, ref);
    return resolve(outcomeOfRefusedCancel(status), { code: answer.code, message: answer.message }, status);
  });
}

