import { pino } from 'pino';
import { requestShipmentOnce, type ShipmentRequestCommand } from '../../src/services/shipment-requests.js';
import { createFmsClient } from '../../src/clients/fms/fms-client.js';
import { createDb } from '../../src/db/database.js';

/**
 * One call of requestShipmentOnce in a process of its own, for tests that kill a worker mid-call.
 * Arguments: database URL, FMS base URL, API code, API key, the command as JSON.
 */
const [databaseUrl, fmsUrl, apiCd, apiKey, commandJson] = process.argv.slice(2);
const db = createDb(databaseUrl!, { maxConnections: 1 });
const fms = createFmsClient({ baseUrl: fmsUrl!, apiCd: apiCd!, apiKey: apiKey!, timeoutMs: 60_000 });
const command = JSON.parse(commandJson!) as ShipmentRequestCommand;
try {
  // Fetch the token first, so that once the ledger says sending, the create itself is on the wire.
  await fms.listGoods(command.cstCd);
  await requestShipmentOnce({ db, fms, log: pino({ level: 'silent' }) }, command);
} finally {
  await fms.close();
  await db.destroy();
}
