import type { Db } from '../database.js';
import type { MallLinkRow } from '../../../db/schema.js';

/** What the schedule reconcile reads and writes of mall_links. */

export async function listMallLinkIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('mall_links').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

export async function setScheduleState(db: Db, mallLinkId: string, state: MallLinkRow['schedule_state']): Promise<void> {
  await db.updateTable('mall_links').set({ schedule_state: state }).where('id', '=', mallLinkId).where('schedule_state', '!=', state).execute();
}
