import { startFmsSimulator, type RunningFmsSimulator } from '../sim/fms/server.js';

/** How `npm start`'s FMS ships requests by itself: quick enough to watch the invoice loop within minutes. */
const devFmsProgress = {
  workingAfterMs: 60_000,
  doneAfterMs: 2 * 60_000,
  // A third of the requests with several goods ship in two boxes: PARTDONE at 2 minutes, the rest 2 minutes later.
  partialShare: 1 / 3,
  restAfterMs: 2 * 60_000,
} as const;

/**
 * The FMS simulator of `npm start`. Requests move on by themselves (devFmsProgress: WORKING after
 * a minute, shipped with an invoice number after two, second boxes after four) so invoice sync has
 * something to find; the control API at `controlUrl` changes that and injects faults. Its memory
 * ends with the process.
 */
export async function startDevFmsSimulator(options: { port: number }): Promise<RunningFmsSimulator & { env: Record<string, string> }> {
  const sim = await startFmsSimulator({ port: options.port, seed: 'dev', settings: { progress: devFmsProgress } });
  return { ...sim, env: { FMS_BASE_URL: sim.url, FMS_API_CD: sim.apiCd, FMS_API_KEY: sim.apiKey } };
}
