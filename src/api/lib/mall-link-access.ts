import type { Context } from 'hono';
import type { MallLinkRow } from '../../../db/schema.js';
import { findMallLinkById } from '../../db/repositories/mall-links.js';
import { canAccessCustomer } from './auth.js';
import { notFound } from './problem.js';
import type { AppEnv } from './types.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path id can be a row id at all (uuid columns refuse anything else). */
export const isUuid = (id: string) => uuid.test(id);

/**
 * The mall link the caller may see, or a 404 — also for another customer's link, so keys
 * cannot enumerate links they do not own.
 */
export async function loadAccessibleMallLink(c: Context<AppEnv>, id: string): Promise<MallLinkRow> {
  const { link } = await loadAccessibleMallLinkWith(c, id, async (uuid) => {
    const row = await findMallLinkById(c.get('deps').db, uuid);
    return row && { link: row };
  });
  return link;
}

/** As loadAccessibleMallLink, with what `read` fetches together with the link (one round trip for both). */
export async function loadAccessibleMallLinkWith<T extends { link: MallLinkRow }>(c: Context<AppEnv>, id: string, read: (id: string) => Promise<T | undefined>): Promise<T> {
  const found = isUuid(id) ? await read(id) : undefined;
  if (!found || !canAccessCustomer(c.get('principal'), found.link.cst_cd)) throw notFound(`mall link ${id}`);
  return found;
}
