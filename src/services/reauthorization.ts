import type { Cafe24MallRef } from '../clients/cafe24/admin-client.js';
import { reauthRequiredCondition } from '../domain/alerts.js';
import type { ScheduleSync } from '../schedules/schedule-sync.js';
import { closeLinkAlertsNow, openAlertNow, type AlertDeps } from './alerts.js';

/**
 * A rejected Cafe24 refresh takes effect at once: the link (already marked reauth_required) gets
 * its schedules paused with a note through the schedule sync, and the re-authorization alert
 * opens — not at the next daily reconcile. A sync that does not reach Temporal leaves the link
 * pending for the periodic reconcile, which pauses it then.
 */
export function createReauthorizationHandler(deps: AlertDeps & { schedules: ScheduleSync }): (mall: Cafe24MallRef) => Promise<void> {
  return async (mall) => {
    const scheduleState = await deps.schedules.syncLink(mall.mallLinkId);
    await openAlertNow(deps, reauthRequiredCondition(mall, new Date()));
    deps.log.info({ mallLinkId: mall.mallLinkId, scheduleState }, 'link paused until the Cafe24 app is installed again');
  };
}

/** After a fresh install (the schedules resumed): the re-authorization alert closes at once. */
export async function closeReauthorizationAlert(deps: AlertDeps, mallLinkId: string): Promise<void> {
  await closeLinkAlertsNow(deps, mallLinkId, 'reauth_required');
}
