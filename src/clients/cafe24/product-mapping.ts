import type { CatalogueProductInput } from '../../domain/catalogue.js';
import { optionTypeOf } from './order-mapping.js';
import type { Cafe24Product } from './schemas.js';

/** Cafe24's product JSON (`embed=variants`) → the fields the imported catalogue keeps. */
export function toCatalogueProduct(product: Cafe24Product): CatalogueProductInput {
  const flag = (value: 'T' | 'F' | null | undefined) => (value === undefined || value === null ? null : value === 'T');
  return {
    productNo: product.product_no,
    productCode: product.product_code,
    productName: product.product_name,
    customProductCode: product.custom_product_code || null,
    hasOption: product.has_option === 'T',
    optionType: optionTypeOf(product.option_type),
    setProduct: product.product_bundle === 'T',
    selling: product.selling === 'T',
    display: product.display === 'T',
    variants: (product.variants ?? []).map((variant) => ({
      variantCode: variant.variant_code || null,
      customVariantCode: variant.custom_variant_code || null,
      options: variant.options ?? [],
      selling: flag(variant.selling),
      display: flag(variant.display),
    })),
  };
}
