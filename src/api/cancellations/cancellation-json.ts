import { z } from '@hono/zod-openapi';
import type { CancellationRow } from '../../../db/schema.js';
import { cancellationAction, cancellationOutcomes } from '../../domain/cancellations.js';
import { fmsStatuses } from '../../domain/fms-progress.js';
import { isoTime, isoTimeOrNull } from '../lib/time.js';

export const CancellationSchema = z
  .object({
    ordNo: z.string().openapi({ description: 'The FMS ordNo of the request', example: '20261127-0000001-1-abcdef' }),
    orderId: z.string().openapi({ example: '20261127-0000001' }),
    shopNo: z.number().int(),
    outcome: z.enum(cancellationOutcomes).openapi({
      description:
        'pending: a cancel was sent and its answer is not known yet (read back at the next slot); cancelled_in_fms; too_late: FMS was picking or had shipped (cancelled_after_shipment_started); rejected_by_fms: FMS refused the cancel; held: a partial cancel held for a person',
      example: 'cancelled_in_fms',
    }),
    cancelledItems: z.array(z.string()).openapi({ description: 'The requested order items found cancelled or claimed on Cafe24' }),
    fmsStatus: z.enum([...fmsStatuses, 'UNKNOWN']).nullable().openapi({ description: 'The FMS status the outcome rests on (null: not read yet)', example: 'CANCEL' }),
    fmsAnswer: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .openapi({ description: "FMS's answer to the cancel, or what reading the request back showed; null when no cancel was sent" }),
    action: z.string().nullable().openapi({ description: 'What a person must do; null when nothing is left to do', example: null }),
    attempts: z.number().int().openapi({ description: 'Cancels sent to FMS (a lost answer is read back, not sent again)' }),
    detectedAt: z.string(),
    resolvedAt: z.string().nullable().openapi({ description: 'When the outcome became final (cancelled_in_fms, too_late, rejected_by_fms)' }),
  })
  .openapi('Cancellation', { description: 'A shipment request whose order was cancelled or claimed on Cafe24 after the request' });

/** One cancellation in API terms: the list and the order detail show the same shape. */
export function cancellationJson(row: CancellationRow): z.output<typeof CancellationSchema> {
  return {
    ordNo: row.ord_no,
    orderId: row.order_id,
    shopNo: row.shop_no,
    outcome: row.outcome,
    cancelledItems: row.cancelled_items,
    fmsStatus: row.fms_status,
    fmsAnswer: row.fms_code === null ? null : { code: row.fms_code, message: row.fms_message ?? '' },
    action: cancellationAction(row.outcome, row.fms_status),
    attempts: row.attempts,
    detectedAt: isoTime(row.detected_at),
    resolvedAt: isoTimeOrNull(row.resolved_at),
  };
}
