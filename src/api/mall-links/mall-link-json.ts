import { mallLinkRecord, shopRecord, type MallLinkView, type ShopChange } from '../../services/mall-links.js';
import { cafe24InstallUrl } from '../cafe24/install-url.js';

/** A link in API terms (`MallLink`): the stored record plus what is derived per request. */
export function mallLinkJson(publicBaseUrl: string, { link, shops, scheduleState }: MallLinkView) {
  return { ...mallLinkRecord(link, shops), installUrl: cafe24InstallUrl(publicBaseUrl, link.id), schedule: { state: scheduleState } };
}

/** A shop change in API terms (`ShopChange`). */
export function shopChangeJson({ shop, scheduleState }: ShopChange) {
  return { ...shopRecord(shop), schedule: { state: scheduleState } };
}
