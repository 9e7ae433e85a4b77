import { createCafe24CatalogueSource } from './catalogue/cafe24-catalogue-source.js';
import { createCatalogueActivities } from './catalogue/catalogue-activities.js';
import type { CatalogueSource } from './catalogue/ports.js';
import { createCafe24TokenActivities, type Cafe24ActivityDeps } from './cafe24-tokens.js';
import { createCollectionActivities, type CollectionActivityDeps } from './collection/collection-activities.js';
import { createInvoiceActivities, type InvoiceActivityDeps } from './invoices/invoice-activities.js';
import { createSystemActivities, type SystemActivityDeps } from './system.js';

export interface ActivityDeps extends SystemActivityDeps, Cafe24ActivityDeps {
  /**
   * The order source (Cafe24) and shipment requester (FMS) behind the collection activities.
   * Without them the worker registers no collection activities.
   */
  collection?: Omit<CollectionActivityDeps, 'db'>;
  /** FMS progress and Cafe24 shipments behind the invoice activities; without them, none are registered. */
  invoices?: Omit<InvoiceActivityDeps, 'db'>;
  /** Where the catalogue import reads products; the Cafe24 client when absent. */
  catalogue?: CatalogueSource;
}

/** Every activity the worker registers, built from injected clients and repositories. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemActivities(deps),
    ...createCafe24TokenActivities(deps),
    ...createCatalogueActivities({ db: deps.db, source: deps.catalogue ?? createCafe24CatalogueSource(deps.cafe24.admin) }),
    ...(deps.collection ? createCollectionActivities({ db: deps.db, ...deps.collection }) : {}),
    ...(deps.invoices ? createInvoiceActivities({ db: deps.db, ...deps.invoices }) : {}),
  };
}
