import type { Config } from '../../config/env.js';
import type { CatalogueImport } from '../../db/repositories/cafe24-catalogue-imports.js';
import type { ListedCatalogueVariant } from '../../db/repositories/cafe24-catalogue-variants.js';
import type { CachedFmsGoods } from '../../db/repositories/fms-goods.js';
import { temporalRunUrl } from '../lib/temporal-ui.js';
import { isoTime, isoTimeOrNull } from '../lib/time.js';

/** One catalogue import in API terms (`CatalogueImport`). */
export function catalogueImportJson(config: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>, run: CatalogueImport) {
  return {
    importId: run.id,
    mallLinkId: run.mallLinkId,
    statuses: run.statuses,
    status: run.status,
    pages: run.pages,
    productsSeen: run.productsSeen,
    variantsSeen: run.variantsSeen,
    variantsNew: run.variantsNew,
    variantsGone: run.variantsGone,
    nextSinceProductNo: run.pagingDone ? null : run.sinceProductNo,
    error: run.error,
    startedAt: isoTime(run.startedAt),
    finishedAt: isoTimeOrNull(run.finishedAt),
    workflowId: run.workflowId,
    runId: run.runId,
    temporalUiUrl: run.workflowId === null ? null : temporalRunUrl(config, run.workflowId, run.runId ?? undefined),
  };
}

/** One catalogue variant in API terms (`Cafe24Item`). */
export const cafe24ItemJson = (variant: ListedCatalogueVariant) => ({
  productNo: variant.productNo,
  productCode: variant.productCode,
  productName: variant.productName,
  customProductCode: variant.customProductCode,
  variantCode: variant.variantCode === '' ? null : variant.variantCode,
  customVariantCode: variant.customVariantCode,
  optionType: variant.optionType,
  optionText: variant.optionText,
  options: variant.options,
  setProduct: variant.setProduct,
  selling: variant.selling,
  display: variant.display,
  linkable: variant.linkable,
  reason: variant.unlinkableReason,
  linked: variant.linkedGoods.length > 0,
  linkedGoods: variant.linkedGoods,
  goneAt: isoTimeOrNull(variant.goneAt),
  importedAt: isoTime(variant.importedAt),
  updatedAt: isoTime(variant.updatedAt),
});

export const fmsGoodsJson = (goods: CachedFmsGoods) => ({
  cstGodCd: goods.cstGodCd,
  name: goods.name,
  godCd: goods.godCd,
  barcode: goods.barcode,
  goodsType: goods.goodsType,
  inUse: goods.inUse,
  refreshedAt: isoTime(goods.refreshedAt),
});
