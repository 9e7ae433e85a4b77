import { Context } from '@temporalio/activity';

/**
 * How often a remote activity heartbeats on its own. Far below the heartbeat timeout
 * (src/workflows/activity-options.ts), so a slow remote call, a paced or rate-limited wait, or a
 * busy machine never reads as a dead worker, while a killed worker is noticed within the timeout.
 */
export const heartbeatEveryMs = 2_000;

/**
 * Worker option: the SDK sends heartbeats at most every 0.8 × timeout by default (12 s of 15 s);
 * every 3 s leaves the server room for several late ones before it gives up on the worker.
 */
export const maxHeartbeatThrottleInterval = '3 seconds';

/**
 * Heartbeats now, unless this runs as a local activity: those have no heartbeats (a run that does
 * its first steps in one local activity calls these activities directly, see startCollection).
 */
export function heartbeat(details?: unknown): void {
  const context = Context.current();
  if (!context.info.isLocal) context.heartbeat(details);
}

/**
 * Throws when this attempt was cancelled or timed out. A local activity's attempt is not stopped
 * when its timeout passes (only its signal is aborted) while the retry already runs, so a
 * multi-step local activity calls this before each step: a stale attempt must not close the books
 * or release the lease beside its retry.
 */
export function stopIfCancelled(): void {
  Context.current().cancellationSignal.throwIfAborted();
}

export interface Heartbeats {
  /** Records progress now; the timer repeats the latest progress, so a retry resumes from it. */
  beat(details: unknown): void;
  stop(): void;
}

/**
 * Heartbeats every `everyMs` until stopped, repeating the latest details (at first, those of the
 * previous attempt, so an attempt that dies early still leaves them for the next).
 */
export function keepHeartbeating(everyMs = heartbeatEveryMs): Heartbeats {
  const context = Context.current();
  let details: unknown = context.info.heartbeatDetails;
  let lastBeatAt = Date.now();
  const send = () => {
    lastBeatAt = Date.now();
    if (!context.info.isLocal) context.heartbeat(details);
  };
  // Fills the gaps only: an activity that reports progress often sends nothing extra.
  const timer = setInterval(() => Date.now() - lastBeatAt >= everyMs && send(), everyMs / 2);
  return {
    beat(next) {
      details = next;
      send();
    },
    stop: () => clearInterval(timer),
  };
}

/** The activity with a heartbeat on a timer for as long as it runs (for activities whose heartbeats carry no progress). */
export function heartbeating<I extends unknown[], O>(activity: (...input: I) => Promise<O>): (...input: I) => Promise<O> {
  return async (...input) => {
    const heartbeats = keepHeartbeating();
    try {
      return await activity(...input);
    } finally {
      heartbeats.stop();
    }
  };
}
