/**
 * OpenAPI links (a response's `links`): which operation a response leads to and where its
 * parameters come from, e.g. a created link's `id` is the `{id}` of every `/v1/mall-links/{id}…`
 * route. Clients read them as the flow of the API; Schemathesis's stateful phase follows them.
 * Targets are named by method and path (an `operationRef`), so routes need no `operationId` and no
 * route module imports another; src/api/lib/links.test.ts checks every link against the document.
 */

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** An OpenAPI Link Object. */
export interface OperationLink {
  operationRef: string;
  parameters: Record<string, string>;
  description: string;
}

/**
 * The operation's JSON Pointer in the document as a URI fragment, e.g.
 * `#/paths/~1v1~1mall-links~1%7Bid%7D/get`: `{` and `}` are percent-encoded, as a URI needs.
 */
export function operationRef(method: Method, path: string): string {
  return `#/paths/${encodeURI(path.replaceAll('~', '~0').replaceAll('/', '~1'))}/${method}`;
}

/**
 * A link to `method path`. Parameter keys are the target's parameter names, prefixed by their
 * place when that is not the path (`header.if-match`); values are runtime expressions
 * (`$response.body#/id`, `$request.path.id`, `$response.header.ETag`).
 */
export function linkTo(method: Method, path: string, parameters: Record<string, string>, description: string): OperationLink {
  return { operationRef: operationRef(method, path), parameters, description };
}

/** What a client can read or start for one mall link, by link name: path, and what it is. */
const mallLinkOperations: Record<string, [Method, string, string]> = {
  GetMallLink: ['get', '/v1/mall-links/{id}', 'the link'],
  GetMallLinkStatus: ['get', '/v1/mall-links/{id}/status', 'its status (Cafe24 authorization, FMS settings, schedule)'],
  GetLinkSchedule: ['get', '/v1/mall-links/{id}/schedule', 'its Temporal schedules and next runs'],
  ListShops: ['get', '/v1/mall-links/{id}/shops', 'its shops'],
  RequestShop: ['post', '/v1/mall-links/{id}/shops', 'a request for an extra shop'],
  ListAudit: ['get', '/v1/mall-links/{id}/audit', 'its audit trail'],
  ListProductLinks: ['get', '/v1/mall-links/{id}/product-links', 'its product links'],
  AutoMatchProductLinks: ['post', '/v1/mall-links/{id}/product-links/auto-match', 'product links matched by code'],
  DownloadLinkSheet: ['get', '/v1/mall-links/{id}/product-links.xlsx', 'its link sheet'],
  UploadLinkSheet: ['post', '/v1/mall-links/{id}/product-links/uploads', 'an upload of its filled-in link sheet'],
  StartCatalogueImport: ['post', '/v1/mall-links/{id}/product-imports', 'an import of its Cafe24 catalogue'],
  ListCafe24Items: ['get', '/v1/mall-links/{id}/cafe24-items', 'its imported Cafe24 items'],
  ListFmsGoods: ['get', '/v1/mall-links/{id}/fms-goods', "its customer's FMS goods"],
  RefreshFmsGoods: ['post', '/v1/mall-links/{id}/fms-goods/refresh', "a refresh of its customer's FMS goods"],
  StartCollection: ['post', '/v1/mall-links/{id}/collections', 'a manual collection run'],
  ListCollections: ['get', '/v1/mall-links/{id}/collections', 'its collection runs'],
  StartInvoiceSync: ['post', '/v1/mall-links/{id}/invoice-syncs', 'a manual invoice sync run'],
  ListInvoiceSyncs: ['get', '/v1/mall-links/{id}/invoice-syncs', 'its invoice sync runs'],
  ListCancellations: ['get', '/v1/mall-links/{id}/cancellations', 'its cancellations'],
  ListUnlinkedOrders: ['get', '/v1/mall-links/{id}/unlinked-orders', 'its orders held for unlinked products'],
  StartBackfill: ['post', '/v1/mall-links/{id}/backfill', 'a backfill of its missed slots (admin)'],
  GetReconciliation: ['get', '/v1/mall-links/{id}/reconciliation', "a day's reconciliation report"],
};

/**
 * Links from a response that names a mall link (`id`, a runtime expression) to what can be read
 * or started for it. Updating or deleting the link itself is linked from the responses that carry
 * its ETag (`mallLinkChangeLinks`): a list does not, so every documented change sends `If-Match`.
 */
export function mallLinkLinks(id: string): Record<string, OperationLink> {
  return Object.fromEntries(Object.entries(mallLinkOperations).map(([name, [method, path, what]]) => [name, linkTo(method, path, { id }, `The ${what}`)]));
}

/** Update and delete of the mall link a response shows, with the ETag it answered as `If-Match`. */
export function mallLinkChangeLinks(id: string): Record<string, OperationLink> {
  const parameters = { id, 'header.if-match': '$response.header.ETag' };
  return {
    UpdateMallLink: linkTo('patch', '/v1/mall-links/{id}', parameters, 'Change its settings, at the version this response shows'),
    DeleteMallLink: linkTo('delete', '/v1/mall-links/{id}', parameters, 'Delete it, at the version this response shows'),
  };
}
