import { benchCatalogueImport } from './catalogue-import.js';
import { benchInvoiceSync } from './invoice-sync.js';
import { benchProductLinkUpload } from './product-link-upload.js';
import { benchShipmentRequests } from './shipment-requests.js';

/** `npm run bench`: each benchmark prints its numbers as a table. */
const benches: Record<string, () => Promise<Record<string, string>>> = {
  'FMS shipment requests through the exactly-once primitive': benchShipmentRequests,
  'One invoice slot (syncInvoices) of one mall with 1,000 shipped requests': benchInvoiceSync,
  'Catalogue import (importCatalogue) of 5,000 variants': benchCatalogueImport,
  'A 5,000-row link sheet upload (product linking)': benchProductLinkUpload,
};

for (const [name, bench] of Object.entries(benches)) {
  process.stdout.write(`\n${name}\n`);
  const results = await bench();
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [key, value] of Object.entries(results)) process.stdout.write(`  ${key.padEnd(width)}  ${value}\n`);
}
