import { describe, expect, it } from 'vitest';
import { generateCatalog } from '../sim/cafe24/catalog.js';
import { demoCatalogue } from './demo-catalogue.js';

describe('demoCatalogue', () => {
  const products = generateCatalog('npm-start:demomall', 24, '2025-01-02T10:00:00+09:00');
  const catalogue = demoCatalogue(products);
  const variantsOf = (predicate: (p: (typeof products)[number]) => boolean) => products.filter(predicate).flatMap((p) => p.variants.map((v) => v.variant_code));

  it('links most variants, each to one FMS goods of the catalogue', () => {
    const goods = new Set(catalogue.goods.map((g) => g.cstGodCd));
    expect(goods.size).toBe(catalogue.goods.length);
    for (const link of catalogue.links) expect(link.components.every((c) => goods.has(c.cstGodCd))).toBe(true);
    const plainVariants = variantsOf((p) => p.product_bundle === 'F');
    expect(catalogue.links.length).toBeGreaterThan(plainVariants.length / 2);
  });

  it('leaves 상품 연동형 products and the deliberately unlinked product without links', () => {
    const unlinkable = variantsOf((p) => p.option_type === 'E');
    expect(unlinkable.length).toBeGreaterThan(0);
    const linked = new Set(catalogue.links.map((l) => l.variantCode));
    for (const code of [...unlinkable, ...variantsOf((p) => p.product_no === 19)]) expect(linked.has(code)).toBe(false);
    // Auto-match has something to do: the unlinked product's SKUs are FMS goods.
    const goods = new Set(catalogue.goods.map((g) => g.cstGodCd));
    for (const variant of products.find((p) => p.product_no === 19)!.variants) expect(goods.has(variant.custom_variant_code)).toBe(true);
    expect(catalogue.unlinkedVariantCodes.sort()).toEqual([...unlinkable, ...variantsOf((p) => p.product_no === 19)].sort());
  });

  it('ships a set product as its components, which are linked', () => {
    const set = products.find((p) => p.product_bundle === 'T')!;
    const linked = new Set(catalogue.links.map((l) => l.variantCode));
    expect(linked.has(set.variants[0]!.variant_code)).toBe(false);
    for (const component of set.bundle_components) expect(linked.has(component.variant_code)).toBe(true);
  });
});
