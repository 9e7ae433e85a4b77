import { productTemplates } from './korean-data.js';
import { SeededRandom } from './random.js';

/** Products and variants of one simulated mall, in Cafe24's JSON shape. */

export type ProductOptionType = 'C' | 'S' | 'F' | 'E';

export interface SimVariant {
  shop_no: number;
  variant_code: string;
  options: { name: string; value: string }[];
  custom_variant_code: string;
  display: 'T' | 'F';
  selling: 'T' | 'F';
  additional_amount: string;
  use_inventory: 'T' | 'F';
  important_inventory: 'A' | 'B';
  inventory_control_type: 'A' | 'B';
  display_soldout: 'T' | 'F';
  quantity: number;
  safety_inventory: number;
}

export interface SimProduct {
  shop_no: number;
  product_no: number;
  product_code: string;
  custom_product_code: string;
  product_name: string;
  model_name: string;
  price: string;
  supply_price: string;
  display: 'T' | 'F';
  selling: 'T' | 'F';
  sold_out: 'T' | 'F';
  has_option: 'T' | 'F';
  option_type: ProductOptionType | null;
  product_bundle: 'T' | 'F';
  set_product_type: 'C' | 'S' | null;
  /** Set products only: the components one unit of the set ships as. */
  bundle_components: { product_no: number; product_code: string; variant_code: string; quantity: number }[];
  created_date: string;
  updated_date: string;
  variants: SimVariant[];
}

export const productCode = (productNo: number) => `P${productNo.toString(36).toUpperCase().padStart(7, '0')}`;
/** 4-char variant suffix: 000A, 000B, ... like Cafe24's own. */
const variantSuffix = (index: number) => (index + 10).toString(36).toUpperCase().padStart(4, '0');

/** Every combination of option values (combination types) or one variant per value (independent). */
function variantOptionSets(options: readonly (readonly [string, readonly string[]])[], type: ProductOptionType | null) {
  if (options.length === 0 || type === 'E' || type === null) return [[]] as { name: string; value: string }[][];
  if (type === 'F') return options.flatMap(([name, values]) => values.map((value) => [{ name, value }]));
  return options.reduce<{ name: string; value: string }[][]>(
    (sets, [name, values]) => sets.flatMap((set) => values.map((value) => [...set, { name, value }])),
    [[]],
  );
}

export function generateCatalog(seed: string, productCount: number, createdAt: string): SimProduct[] {
  const random = new SeededRandom(`${seed}:catalog`);
  const products: SimProduct[] = [];
  for (let i = 0; i < productCount; i++) {
    const template = productTemplates[i % productTemplates.length]!;
    const productNo = 10 + i;
    const code = productCode(productNo);
    const optionCount = template.options.length;
    // Product-level option composition: two option axes → combination (C/S), one → independent or
    // product-linked (E, unlinkable), none → no options.
    const type: ProductOptionType | null =
      optionCount === 0 ? null : optionCount >= 2 ? (random.chance(0.5) ? 'C' : 'S') : i % 4 === 3 ? 'E' : 'F';
    const round = Math.floor(i / productTemplates.length);
    const variants = variantOptionSets(template.options, type).map((options, index) => ({
      shop_no: 1,
      variant_code: `${code}${variantSuffix(index)}`,
      options,
      custom_variant_code: `SKU-${productNo}-${index + 1}`,
      display: 'T' as const,
      selling: 'T' as const,
      additional_amount: '0.00',
      use_inventory: 'T' as const,
      important_inventory: 'A' as const,
      inventory_control_type: 'A' as const,
      display_soldout: 'T' as const,
      quantity: random.int(0, 300),
      safety_inventory: 5,
    }));
    products.push({
      shop_no: 1,
      product_no: productNo,
      product_code: code,
      custom_product_code: `CP-${productNo}`,
      product_name: round === 0 ? template.name : `${template.name} ${round + 1}차`,
      model_name: '',
      price: `${template.price}.00`,
      supply_price: `${Math.round(template.price * 0.6)}.00`,
      // Every 7th product is hidden and not on sale, so display/selling filters have something to filter.
      display: i % 7 === 6 ? 'F' : 'T',
      selling: i % 7 === 6 ? 'F' : 'T',
      sold_out: 'F',
      has_option: optionCount === 0 ? 'F' : 'T',
      option_type: type,
      product_bundle: 'F',
      set_product_type: null,
      bundle_components: [],
      created_date: createdAt,
      updated_date: createdAt,
      variants,
    });
  }
  // One set product (세트상품) made of the first variants of the first two products.
  const [first, second] = products;
  if (first && second) {
    const productNo = 10 + productCount;
    const code = productCode(productNo);
    products.push({
      ...first,
      product_no: productNo,
      product_code: code,
      custom_product_code: `CP-${productNo}`,
      product_name: `${first.product_name} + ${second.product_name} 세트`,
      price: '59000.00',
      has_option: 'F',
      option_type: null,
      product_bundle: 'T',
      set_product_type: 'C',
      bundle_components: [first, second].map((p) => ({ product_no: p.product_no, product_code: p.product_code, variant_code: p.variants[0]!.variant_code, quantity: 1 })),
      variants: [{ ...first.variants[0]!, variant_code: `${code}000A`, options: [], custom_variant_code: `SKU-${productNo}-1` }],
    });
  }
  return products;
}
