import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { CarrierMappingRow } from '../../../db/schema.js';
import type { CarrierMapping } from '../../domain/invoice-sync.js';

export const toCarrierMapping = (row: CarrierMappingRow): CarrierMapping => ({
  fmsCarrierCode: row.fms_carrier_code,
  fmsCarrierName: row.fms_carrier_name,
  cafe24ShippingCompanyCode: row.cafe24_shipping_company_code,
});

/** Every mapping, for resolving carriers (a handful of rows). */
export async function findCarrierMappings(db: Db): Promise<CarrierMapping[]> {
  return (await db.selectFrom('carrier_mappings').selectAll().orderBy('id').execute()).map(toCarrierMapping);
}

/** A page in id order; `afterId` continues after the previous page. */
export async function listCarrierMappings(db: Db, options: { limit: number; afterId?: number }): Promise<CarrierMappingRow[]> {
  let query = db.selectFrom('carrier_mappings').selectAll();
  if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
  return query.orderBy('id').limit(options.limit).execute();
}

export async function findCarrierMapping(db: Db, id: number): Promise<CarrierMappingRow | undefined> {
  return db.selectFrom('carrier_mappings').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface CarrierMappingInput {
  fmsCarrierCode: string | null;
  fmsCarrierName: string | null;
  cafe24ShippingCompanyCode: string;
  confirmed: boolean;
  note: string | null;
  updatedByKeyId: string | null;
}

const columnsOf = (input: CarrierMappingInput) => ({
  fms_carrier_code: input.fmsCarrierCode,
  fms_carrier_name: input.fmsCarrierName,
  cafe24_shipping_company_code: input.cafe24ShippingCompanyCode,
  confirmed: input.confirmed,
  note: input.note,
  updated_by_key_id: input.updatedByKeyId,
});

export async function insertCarrierMapping(db: Db, input: CarrierMappingInput): Promise<CarrierMappingRow> {
  return db.insertInto('carrier_mappings').values(columnsOf(input)).returningAll().executeTakeFirstOrThrow();
}

export async function updateCarrierMapping(db: Db, id: number, input: CarrierMappingInput): Promise<CarrierMappingRow | undefined> {
  return db
    .updateTable('carrier_mappings')
    .set({ ...columnsOf(input), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCarrierMapping(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('carrier_mappings').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
