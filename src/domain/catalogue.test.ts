import { describe, expect, it } from 'vitest';
import { catalogueVariantsOf, optionTextOf, type CatalogueProductInput } from './catalogue.js';
import { variantLinkability } from './link-resolution.js';

const product = (overrides: Partial<CatalogueProductInput> = {}): CatalogueProductInput => ({
  productNo: 10,
  productCode: 'P10',
  productName: '티셔츠',
  customProductCode: 'CP-10',
  hasOption: true,
  optionType: 'C',
  setProduct: false,
  selling: true,
  display: true,
  variants: [{ variantCode: 'P10000A', customVariantCode: 'SKU-1', options: [{ name: '색상', value: '블랙' }, { name: '사이즈', value: 'M' }], selling: null, display: null }],
  ...overrides,
});

describe('the imported catalogue', () => {
  it('an option type E (상품 연동형) variant or one without 품목코드 cannot be linked; the rule is the one collection uses', () => {
    expect(variantLinkability({ optionType: 'C', variantCode: 'P10000A' })).toEqual({ linkable: true, reason: null, variantCode: 'P10000A' });
    expect(variantLinkability({ optionType: 'E', variantCode: 'P10000A' })).toEqual({ linkable: false, reason: 'unlinkable_option_type' });
    expect(variantLinkability({ optionType: null, variantCode: null })).toEqual({ linkable: false, reason: 'missing_variant_code' });
    expect(variantLinkability({ optionType: 'F', variantCode: '' })).toEqual({ linkable: false, reason: 'missing_variant_code' });
  });

  it('one row per variant with option text and combined statuses; a product without variants still shows, unlinkable', () => {
    const [row] = catalogueVariantsOf(product({ variants: [{ ...product().variants[0]!, selling: false }] }));
    expect(row).toMatchObject({ variantCode: 'P10000A', optionText: '색상: 블랙 / 사이즈: M', selling: false, display: true, linkable: true, unlinkableReason: null });
    expect(catalogueVariantsOf(product({ optionType: 'E' }))[0]).toMatchObject({ linkable: false, unlinkableReason: 'unlinkable_option_type' });
    expect(catalogueVariantsOf(product({ variants: [] }))).toEqual([
      expect.objectContaining({ variantCode: '', optionText: null, linkable: false, unlinkableReason: 'missing_variant_code' }),
    ]);
    expect(optionTextOf([])).toBeNull();
  });
});
