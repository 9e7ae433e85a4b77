import type { SimProduct } from './catalog.js';
import type { SimOrder, SimShipment } from './orders.js';
import type { Fault, MallStats } from './state.js';

/** Typed calls to the simulator's control API (`/__control/*`), for tests and `npm start`. */
export function cafe24SimControl(url: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${url}/__control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`simulator control ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  return {
    stats: async (mallId: string) => (await call<{ malls: Record<string, MallStats> }>('GET', `/stats?mallId=${mallId}`)).malls[mallId],
    reset: () => call('POST', '/reset'),
    setClockOffset: (offsetMs: number) => call('PUT', '/clock', { offsetMs }),
    injectFault: (fault: Partial<Fault> & { kind: Fault['kind']; count?: number }) => call('POST', '/faults', fault),
    clearFaults: () => call('DELETE', '/faults'),
    generateOrders: (mallId: string, spec: { count: number; from: string; to: string; shopNo?: number; status?: string }) =>
      call<{ count: number; first?: string; orderIds?: string[] }>('POST', `/malls/${mallId}/orders/generate`, spec),
    addOrders: async (mallId: string, orders: { shopNo?: number; paidAt: string; status?: string; lines?: { variantCode: string; quantity: number }[] }[]) =>
      (await call<{ orders: SimOrder[] }>('POST', `/malls/${mallId}/orders`, { orders })).orders,
    order: async (mallId: string, orderId: string) => (await call<{ order: SimOrder }>('GET', `/malls/${mallId}/orders/${orderId}`)).order,
    setItemStatus: async (mallId: string, orderId: string, status: string, orderItemCodes?: string[]) =>
      (await call<{ order: SimOrder }>('POST', `/malls/${mallId}/orders/${orderId}/items/status`, { status, orderItemCodes })).order,
    /** Every shipment the mall has registered, in order: a tracking number listed twice was registered twice. */
    shipments: async (mallId: string) => (await call<{ shipments: SimShipment[] }>('GET', `/malls/${mallId}/shipments`)).shipments,
    products: async (mallId: string) => (await call<{ products: SimProduct[] }>('GET', `/malls/${mallId}/products`)).products,
    /** Replaces the mall's catalogue with `count` generated products (plus one set product), all option types; `seed` varies it. */
    generateCatalog: (mallId: string, count: number, seed?: string) => call<{ products: number; variants: number }>('PUT', `/malls/${mallId}/products`, { count, seed }),
    /** Changes a product's fields; `variants` by code: a patch changes one, null removes it. */
    updateProduct: async (mallId: string, productNo: number, patch: Partial<Omit<SimProduct, 'variants'>> & { variants?: Record<string, Partial<SimProduct['variants'][number]> | null> }) =>
      (await call<{ product: SimProduct }>('PATCH', `/malls/${mallId}/products/${productNo}`, patch)).product,
    deleteProduct: (mallId: string, productNo: number) => call('DELETE', `/malls/${mallId}/products/${productNo}`),
    /** Headless consent: an authorization code as if the operator had agreed on the authorize page. */
    authorize: async (mallId: string, redirectUri: string, scopes: string[]) =>
      (await call<{ code: string }>('POST', `/malls/${mallId}/authorize`, { redirectUri, scopes })).code,
    expireAccessTokens: (mallId: string) => call('POST', `/malls/${mallId}/tokens/expire-access`),
    revokeRefreshTokens: (mallId: string) => call('POST', `/malls/${mallId}/tokens/revoke`),
  };
}

export type Cafe24SimControl = ReturnType<typeof cafe24SimControl>;
