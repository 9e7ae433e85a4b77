import { dayMs, kstInstant } from './kst.js';

/** When a collection run looks for orders. Pure and free of Intl, so that workflow code can use it. */

/** The settings of a mall link that decide which orders a run collects. */
export interface CollectionRules {
  collectOrderStatus: string;
  minutesAfterPayment: number;
  /** 'YYYY-MM-DD', a date in KST. */
  linkStartDate: string;
  collectionRangeDays: number;
}

export interface CollectionWindow {
  /** ISO instants; orders paid in [from, to] are fetched. */
  from: string;
  to: string;
}

/** 00:00 KST of the link start date, as an instant. */
export function linkStartInstant(linkStartDate: string): Date {
  return kstInstant(linkStartDate);
}

/** [max(link start, slot − range days), slot]. */
export function collectionWindow(rules: Pick<CollectionRules, 'linkStartDate' | 'collectionRangeDays'>, slotAt: string): CollectionWindow {
  const slot = new Date(slotAt).getTime();
  const from = Math.max(linkStartInstant(rules.linkStartDate).getTime(), slot - rules.collectionRangeDays * dayMs);
  return { from: new Date(from).toISOString(), to: new Date(slot).toISOString() };
}

/** Latest payment time an item may have to be collected at this slot. */
export function latestCollectablePaymentAt(minutesAfterPayment: number, slotAt: string): Date {
  return new Date(new Date(slotAt).getTime() - minutesAfterPayment * 60_000);
}
