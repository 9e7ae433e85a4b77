import { sql } from 'kysely';
import type { Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
import type { CarrierMappingRow } from '../../../db/schema.js';
import type { CarrierMapping } from '../../domain/invoice-sync.js';

const toCarrierMapping = (row: CarrierMappingRow): CarrierMapping => ({
  fmsCarrierKey: row.fms_carrier_key,
  cafe24ShippingCompanyCode: row.cafe24_shipping_company_code,
});

/** Every mapping, for resolving carriers (a handful of rows). */
export async function findCarrierMappings(db: Db): Promise<CarrierMapping[]> {
  return (await db.selectFrom('carrier_mappings').selectAll().orderBy('fms_carrier_key').execute()).map(toCarrierMapping);
}

/** Where a page of mappings continues: after this carrier key. */
export interface CarrierMappingPosition {
  fmsCarrierKey: string;
}

/** A page in key order. */
export async function listCarrierMappings(db: Db, page: PageRequest<CarrierMappingPosition>): Promise<Page<CarrierMappingRow, CarrierMappingPosition>> {
  let query = db.selectFrom('carrier_mappings').selectAll();
  if (page.after !== undefined) query = query.where('fms_carrier_key', '>', page.after.fmsCarrierKey);
  const found = await query.orderBy('fms_carrier_key').limit(page.limit + 1).execute();
  return pageOf(found, page.limit, (row) => ({ fmsCarrierKey: row.fms_carrier_key }));
}

export interface CarrierMappingInput {
  carrierName: string;
  cafe24ShippingCompanyCode: string;
  confirmed: boolean;
  note: string | null;
  updatedByKeyId: string | null;
}

/** Creates or replaces the mapping of one FMS carrier key; `created` tells which. */
export async function putCarrierMapping(db: Db, fmsCarrierKey: string, input: CarrierMappingInput): Promise<{ row: CarrierMappingRow; created: boolean }> {
  const columns = {
    carrier_name: input.carrierName,
    cafe24_shipping_company_code: input.cafe24ShippingCompanyCode,
    confirmed: input.confirmed,
    note: input.note,
    updated_by_key_id: input.updatedByKeyId,
  };
  const row = await db
    .insertInto('carrier_mappings')
    .values({ fms_carrier_key: fmsCarrierKey, ...columns })
    .onConflict((oc) => oc.column('fms_carrier_key').doUpdateSet({ ...columns, updated_at: sql<Date>`now()` }))
    .returningAll()
    .returning(sql<boolean>`xmax = 0`.as('created'))
    .executeTakeFirstOrThrow();
  const { created, ...mapping } = row;
  return { row: mapping, created };
}

export async function deleteCarrierMapping(db: Db, fmsCarrierKey: string): Promise<boolean> {
  const result = await db.deleteFrom('carrier_mappings').where('fms_carrier_key', '=', fmsCarrierKey).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
