import type { Client } from '@temporalio/client';
import { replaceProductLink } from '../../src/db/repositories/product-links.js';
import type { SimShipment } from '../../src/sim/cafe24/orders.js';
import type { SyncInvoicesInput, SyncInvoicesResult } from '../../src/temporal/invoices.js';
import { manualCollectWorkflowId, syncInvoicesWorkflowIdPrefix, workflowTypes } from '../../src/temporal/names.js';
import type { MallLinkRow } from '../../db/schema.js';
import { linkableVariantCodes } from './cafe24.js';
import { startCollection } from './collection-runs.js';
import { createInstalledLink, ordNoOf, type EndToEnd } from './end-to-end.js';

/** A slot well after the links' start date; invoice runs do not depend on it beyond that. */
export const invoiceSlot = '2026-11-27T05:40:00.000Z';

let sequence = 0;

/** Starts syncInvoices the way a schedule would (id prefix + time), or with a given id. */
export async function startInvoiceSync(client: Client, taskQueue: string, input: SyncInvoicesInput, workflowId?: string) {
  sequence += 1;
  return client.workflow.start(workflowTypes.syncInvoices, {
    taskQueue,
    workflowId: workflowId ?? `${syncInvoicesWorkflowIdPrefix(input.mallLinkId)}-${input.slotAt ?? 'now'}-${sequence}`,
    args: [input],
  });
}

export async function runInvoiceSync(e2e: EndToEnd, link: MallLinkRow): Promise<SyncInvoicesResult> {
  const handle = await startInvoiceSync(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: 'manual' });
  return (await handle.result()) as SyncInvoicesResult;
}

export interface RequestedOrder {
  orderId: string;
  ordNo: string;
  slipNo: string;
  orderItemCodes: string[];
}

/**
 * A manual-mode link whose orders are requested in FMS: variant i of the simulator's linkable
 * products is linked to goods G00{i+1}; each order lists [variant index, quantity] lines. Runs a
 * collection and returns every order with its FMS slip, in the order given.
 */
export async function requestedOrders(e2e: EndToEnd, cstCd: string, orders: [number, number][][]): Promise<{ link: MallLinkRow; orders: RequestedOrder[] }> {
  const link = await createInstalledLink(e2e, { cst_cd: cstCd, link_start_date: '2026-11-20', collection_range_days: 1, collection_method: 'manual' });
  const variants = (await linkableVariantCodes(e2e.cafe24Control, link.mall_id)).slice(0, 4);
  for (const [i, variantCode] of variants.entries()) await replaceProductLink(e2e.database.db, link.id, variantCode, [{ cstGodCd: `G00${i + 1}`, quantity: 1 }]);
  const from = new Date('2026-11-27T01:00:00.000Z').getTime();
  const added = await e2e.cafe24Control.addOrders(
    link.mall_id,
    orders.map((lines, i) => ({ paidAt: new Date(from + i * 1000).toISOString(), lines: lines.map(([variant, quantity]) => ({ variantCode: variants[variant]!, quantity })) })),
  );
  const handle = await startCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: 'manual' }, manualCollectWorkflowId(link.id));
  await handle.result();
  const slips = new Map(e2e.fms.control.outbounds(cstCd).map((o) => [o.ordNo, o.slipNo]));
  return {
    link,
    orders: added.map((order) => {
      const ordNo = ordNoOf(link, order.order_id);
      const slipNo = slips.get(ordNo);
      if (!slipNo) throw new Error(`order ${order.order_id} was not requested in FMS`);
      return { orderId: order.order_id, ordNo, slipNo, orderItemCodes: order.items.map((item) => item.order_item_code) };
    }),
  };
}

/** Every tracking number registered on Cafe24 per order item: each value must list one number, once. */
export function trackingNumbersPerItem(shipments: readonly SimShipment[]): Map<string, string[]> {
  const perItem = new Map<string, string[]>();
  for (const shipment of shipments) {
    for (const code of shipment.order_item_code) perItem.set(code, [...(perItem.get(code) ?? []), shipment.tracking_no]);
  }
  return perItem;
}
