/**
 * FMS (FASSTO) outbound progress as our side understands it, read from every form FASSTO's
 * clients have been seen to receive (../shared/reference/fassto-fms-api.md §1.5 and "Cancel and
 * status lists"). Pure: the FMS client parses with it, and workflows, services and the API can
 * import the types without importing the client.
 */

export const fmsStatuses = ['ORDER', 'WORKING', 'DONE', 'PARTDONE', 'CANCEL', 'SHORTAGE'] as const;
/** Progress of one outbound request (출고요청) in FMS. */
export type FmsStatus = (typeof fmsStatuses)[number];
/** What a row said when it matched no rule: keep the row, decide nothing on it, look again later. */
export type FmsProgressStatus = FmsStatus | 'UNKNOWN';
/** The status segment of the delivery list path: one status, or every one. */
export type FmsStatusFilter = FmsStatus | 'ALL';

/** Shipped (wholly or partly): the invoice numbers can be registered. */
export const isShippedStatus = (status: FmsProgressStatus): status is 'DONE' | 'PARTDONE' => status === 'DONE' || status === 'PARTDONE';

/** `wrkStat` codes seen in FASSTO client code. FASSTO has no known code for a partial shipment. */
const statusByCode: Record<string, FmsStatus> = { '1': 'ORDER', '2': 'WORKING', '3': 'DONE', '8': 'CANCEL', '9': 'SHORTAGE' };

/** Korean status names, checked in this order (취소 before 출고요청: 출고요청취소 is a cancel). */
const statusByName: [RegExp, FmsStatus][] = [
  [/취소/, 'CANCEL'],
  [/재고\s*부족|결품/, 'SHORTAGE'],
  [/출고\s*완료|배송\s*중|배송\s*완료|발송\s*완료/, 'DONE'],
  [/작업\s*중|출고\s*지시|피킹|패킹|검수/, 'WORKING'],
  [/출고\s*요청|접수/, 'ORDER'],
];

export interface FmsRawStatus {
  /** `wrkStat` as sent (code or word), trimmed. */
  code: string | null;
  /** `wrkStatNm` as sent. */
  name: string | null;
}

/**
 * The status of a delivery row from `wrkStat` (a code `1`..`9` or a word ORDER..SHORTAGE) and
 * `wrkStatNm`. Rules, in order:
 * 1. a name saying 부분 (부분출고, 부분출고완료) and not 취소 is PARTDONE whatever the code — FASSTO
 *    has no partial code and its code for the row is then most likely 3 (출고완료);
 * 2. the word or the code, when known;
 * 3. the name, when the code is missing or unknown;
 * 4. otherwise UNKNOWN (the caller keeps the row and leaves it for later).
 */
export function parseFmsStatus(code: string | number | null | undefined, name: string | null | undefined): FmsProgressStatus {
  const rawCode = code === null || code === undefined ? '' : String(code).trim();
  const rawName = name?.trim() ?? '';
  if (/부분/.test(rawName) && !/취소/.test(rawName)) return 'PARTDONE';
  const word = rawCode.toUpperCase();
  if ((fmsStatuses as readonly string[]).includes(word)) return word as FmsStatus;
  if (/^\d+$/.test(rawCode)) {
    const byCode = statusByCode[String(Number(rawCode))];
    if (byCode) return byCode;
  }
  for (const [pattern, status] of statusByName) if (pattern.test(rawName)) return status;
  return 'UNKNOWN';
}

export function rawFmsStatus(code: string | number | null | undefined, name: string | null | undefined): FmsRawStatus {
  const c = code === null || code === undefined ? '' : String(code).trim();
  const n = name?.trim() ?? '';
  return { code: c || null, name: n || null };
}

// --- carriers ------------------------------------------------------------------------------

/** Carriers we recognise in FMS rows, by a key of our own (the carrier-mapping table is keyed on it). */
export const knownFmsCarriers = {
  CJ: { name: 'CJ대한통운', codes: ['CJ', '04'], names: [/CJ/i, /대한통운/] },
  HANJIN: { name: '한진택배', codes: ['HANJIN'], names: [/한진/] },
  LOTTE: { name: '롯데택배', codes: ['LOTTE'], names: [/롯데/] },
  EPOST: { name: '우체국택배', codes: ['EPOST'], names: [/우체국/] },
  LOGEN: { name: '로젠택배', codes: ['LOGEN'], names: [/로젠/] },
  KDEXP: { name: '경동택배', codes: ['KDEXP'], names: [/경동/] },
} as const;
export type KnownFmsCarrier = keyof typeof knownFmsCarriers;

export interface FmsCarrier {
  /** `parcelCd` as sent (`04`, `CJ`), or null. */
  code: string | null;
  /** `parcelNm` as sent (`CJ대한통운`), or null. */
  name: string | null;
  /**
   * What a carrier mapping matches on: our key (CJ, HANJIN, ...) when the name or the code is
   * recognised; otherwise the code as sent (upper case), else the name as sent.
   */
  key: string;
  recognised: boolean;
}

/**
 * A carrier from `parcelCd` and/or `parcelNm`. The name wins over the code because FASSTO's
 * numeric codes are known only for CJ (`04`, INFERRED from client code); an unknown carrier keeps
 * its own code as the key, so an admin can map it later. Null when neither is sent.
 */
export function normalizeFmsCarrier(code: string | number | null | undefined, name: string | null | undefined): FmsCarrier | null {
  const c = code === null || code === undefined ? '' : String(code).trim();
  const n = name?.trim() ?? '';
  if (!c && !n) return null;
  const entries = Object.entries(knownFmsCarriers) as [KnownFmsCarrier, (typeof knownFmsCarriers)[KnownFmsCarrier]][];
  const byName = n ? entries.find(([, carrier]) => carrier.names.some((pattern) => pattern.test(n))) : undefined;
  const byCode = c ? entries.find(([, carrier]) => (carrier.codes as readonly string[]).includes(c.toUpperCase())) : undefined;
  const known = byName ?? byCode;
  return { code: c || null, name: n || null, key: known ? known[0] : (c ? c.toUpperCase() : n), recognised: known !== undefined };
}

// --- dates and invoice numbers -------------------------------------------------------------

/** How the client writes date path segments; FASSTO clients are seen using both. */
export type FmsDateFormat = 'yyyyMMdd' | 'YYYY-MM-DD';

/** A day as `yyyyMMdd` from `yyyyMMdd`, `YYYY-MM-DD` or a timestamp starting with either; null if neither. */
export function compactFmsDay(value: string | null | undefined): string | null {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(value?.trim() ?? '');
  if (!match) return null;
  const [, y, m, d] = match as unknown as [string, string, string, string];
  const day = new Date(`${y}-${m}-${d}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === `${y}-${m}-${d}` ? `${y}${m}${d}` : null;
}

/** A day (either form) as a path segment in `format`. */
export function formatFmsDay(value: string, format: FmsDateFormat): string {
  const compact = compactFmsDay(value);
  if (!compact || compact.length !== value.replaceAll('-', '').length) throw new RangeError(`not a day: ${JSON.stringify(value)}`);
  return format === 'yyyyMMdd' ? compact : `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6)}`;
}

/** Invoice numbers of one field: several may come comma- or space-separated; order kept, duplicates dropped. */
export function splitInvoiceNos(value: string | number | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return [...new Set(String(value).split(/[\s,;]+/).filter(Boolean))];
}

// --- normalised rows -----------------------------------------------------------------------

/** One row of the delivery list, normalised. */
export interface FmsOutbound {
  slipNo: string;
  ordNo: string;
  /** yyyyMMdd. */
  ordDt: string | null;
  status: FmsProgressStatus;
  rawStatus: FmsRawStatus;
  /** Tracking numbers on the row; the list may show only the latest box's (read the detail for all). */
  invoiceNos: string[];
  carrier: FmsCarrier | null;
  /** yyyyMMdd, when shipped. */
  outDt: string | null;
}

export interface FmsOutboundGoods {
  cstGodCd: string;
  ordQty: number;
  /** Shipped so far, over every box. */
  outQty: number;
}

/** One parcel (box) FMS shipped, with its tracking number and the goods in it. */
export interface FmsOutboundBox {
  boxNo: string | null;
  invoiceNo: string;
  carrier: FmsCarrier | null;
  outDt: string | null;
  goods: { cstGodCd: string; qty: number }[];
}

/** The outbound detail by slip: what was ordered, what shipped, in which boxes. */
export interface FmsOutboundDetail extends FmsOutbound {
  goods: FmsOutboundGoods[];
  boxes: FmsOutboundBox[];
}
