import { variantLinkability, type UnlinkableReason } from './link-resolution.js';
import type { OptionType } from './order.js';

export type { UnlinkableReason };

/**
 * The imported Cafe24 catalogue (상품 가져오기): which products an import reads, and what one
 * variant (품목) of it is — names, codes, options, statuses and whether it can be linked at all.
 */

/** Product statuses an import can be limited to (판매 selling, 진열 displayed); none means every product. */
export const productStatusFilters = ['selling', 'displayed'] as const;
export type ProductStatusFilter = (typeof productStatusFilters)[number];

export type CatalogueImportStatus = 'running' | 'completed' | 'failed';

export interface VariantOption {
  name: string;
  value: string;
}

/** One variant of the catalogue, as stored for a link. */
export interface CatalogueVariant {
  productNo: number;
  /** 품목코드; '' when Cafe24 gave none. */
  variantCode: string;
  productCode: string;
  productName: string;
  customProductCode: string | null;
  customVariantCode: string | null;
  hasOption: boolean;
  optionType: OptionType | null;
  options: VariantOption[];
  /** The options as one line, e.g. `색상: 블랙 / 사이즈: M`; null without options. */
  optionText: string | null;
  setProduct: boolean;
  /** Product and variant both on sale / displayed. */
  selling: boolean;
  display: boolean;
  linkable: boolean;
  unlinkableReason: UnlinkableReason | null;
}

/** A Cafe24 product with its variants, in the fields the catalogue keeps. */
export interface CatalogueProductInput {
  productNo: number;
  productCode: string;
  productName: string;
  customProductCode: string | null;
  hasOption: boolean;
  optionType: OptionType | null;
  setProduct: boolean;
  selling: boolean;
  display: boolean;
  variants: { variantCode: string | null; customVariantCode: string | null; options: VariantOption[]; selling: boolean | null; display: boolean | null }[];
}

export const optionTextOf = (options: readonly VariantOption[]): string | null =>
  options.length === 0 ? null : options.map((o) => `${o.name}: ${o.value}`).join(' / ');

/**
 * The catalogue rows of one product: one per variant, or one without a 품목코드 when Cafe24 listed
 * none, so the product is still seen (and shown unlinkable).
 */
export function catalogueVariantsOf(product: CatalogueProductInput): CatalogueVariant[] {
  const variants = product.variants.length > 0 ? product.variants : [{ variantCode: null, customVariantCode: null, options: [], selling: null, display: null }];
  return variants.map((variant) => {
    const linkability = variantLinkability({ optionType: product.optionType, variantCode: variant.variantCode });
    return {
      productNo: product.productNo,
      variantCode: variant.variantCode ?? '',
      productCode: product.productCode,
      productName: product.productName,
      customProductCode: product.customProductCode,
      customVariantCode: variant.customVariantCode,
      hasOption: product.hasOption,
      optionType: product.optionType,
      options: variant.options,
      optionText: optionTextOf(variant.options),
      setProduct: product.setProduct,
      selling: product.selling && variant.selling !== false,
      display: product.display && variant.display !== false,
      linkable: linkability.linkable,
      unlinkableReason: linkability.reason,
    };
  });
}

/** One goods (상품) of an FMS customer's goods master: what a variant is linked to. */
export interface FmsGoods {
  cstGodCd: string;
  name: string;
  godCd: string | null;
  barcode: string | null;
  goodsType: string | null;
  inUse: boolean;
}

/** The one-line summary of an import run in the Temporal UI. */
export const catalogueImportSummary = (mallId: string, statuses: readonly ProductStatusFilter[]) =>
  `카페24 상품 가져오기 ${mallId} (${statuses.length === 0 ? 'all products' : statuses.join(', ')})`;
