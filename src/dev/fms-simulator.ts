import { startFmsSimulator, type RunningFmsSimulator } from '../sim/fms/server.js';

/**
 * The FMS simulator of `npm start`. Requests move on by themselves (WORKING after 2 minutes,
 * DONE with an invoice number after 5) so invoice sync has something to find; the control API
 * at `controlUrl` changes that and injects faults. Its memory ends with the process.
 */
export async function startDevFmsSimulator(options: { port: number }): Promise<RunningFmsSimulator & { env: Record<string, string> }> {
  const sim = await startFmsSimulator({
    port: options.port,
    seed: 'dev',
    settings: { progress: { workingAfterMs: 2 * 60_000, doneAfterMs: 5 * 60_000 } },
  });
  return { ...sim, env: { FMS_BASE_URL: sim.url, FMS_API_CD: sim.apiCd, FMS_API_KEY: sim.apiKey } };
}
