// The worker's workflow entrypoint: every exported function here is a workflow type.
export { systemCheck } from './system-check.js';
export { reconcileSchedules } from './reconcile-schedules.js';
export { collectOrders } from './collect-orders.js';
export { refreshExpiringTokens } from './refresh-expiring-tokens.js';
export { syncInvoices } from './sync-invoices.js';
export { importCatalogue } from './import-catalogue.js';
