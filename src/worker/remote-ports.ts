import { createCafe24OrderSource } from '../activities/collection/cafe24-order-source.js';
import { createFmsShipmentRequester } from '../activities/collection/fms-shipment-requester.js';
import type { CollectionActivityDeps } from '../activities/collection/collection-activities.js';
import { createCafe24OrderStatusReader } from '../activities/invoices/cafe24-order-status-reader.js';
import { createCafe24ShipmentRegistrar } from '../activities/invoices/cafe24-shipment-registrar.js';
import { createFmsCanceller } from '../activities/invoices/fms-canceller.js';
import { createFmsProgressReader } from '../activities/invoices/fms-progress-reader.js';
import type { InvoiceActivityDeps } from '../activities/invoices/invoice-activities.js';
import type { Cafe24Connection } from '../clients/cafe24/connection.js';
import { createFmsClient, fmsClientOptions } from '../clients/fms/fms-client.js';
import type { Config } from '../config/env.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';

export type FmsConfig = Pick<Config, 'FMS_BASE_URL' | 'FMS_API_CD' | 'FMS_API_KEY' | 'FMS_TIMEOUT_MS' | 'FMS_DATE_FORMAT'>;

/**
 * The ports of the collection and invoice activities on the real Cafe24 and FMS clients, built
 * once per worker (one FMS client, so one token, for both).
 */
export function createRemotePorts(
  config: FmsConfig,
  deps: { db: Db; cafe24: Cafe24Connection; log: Logger },
): { collection: Omit<CollectionActivityDeps, 'db'>; invoices: Omit<InvoiceActivityDeps, 'db'>; close: () => Promise<void> } {
  const fms = createFmsClient(fmsClientOptions(config));
  return {
    collection: {
      orderSource: createCafe24OrderSource(deps.cafe24.admin),
      shipmentRequester: createFmsShipmentRequester({ db: deps.db, fms, log: deps.log }),
      // Cafe24 pages of 500: the largest the collection takes per call, half of Cafe24's limit.
      sourcePageSize: 500,
    },
    invoices: {
      fmsProgress: createFmsProgressReader(fms),
      registrar: createCafe24ShipmentRegistrar(deps.cafe24.admin),
      orderStatus: createCafe24OrderStatusReader(deps.cafe24.admin),
      canceller: createFmsCanceller(fms),
    },
    close: () => fms.close(),
  };
}
