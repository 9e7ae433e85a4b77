import { ConflictError, InvalidInputError, NotFoundError, VersionMismatchError, type ServiceError } from '../../services/errors.js';
import { LinkSheetRefusedError } from '../../services/link-sheet-file.js';
import { MallIdTakenError } from '../../services/mall-links.js';
import { FmsGoodsUnavailableError, ProductLinkRefusedError } from '../../services/product-links.js';
import { canAccessCustomer } from './auth.js';
import { etagOf } from './etag.js';
import { notFound, ProblemError, validationFailed } from './problem.js';
import type { Principal } from './types.js';

/**
 * The problem+json each service failure becomes. `principal` is the caller, when known: a
 * conflict with another customer's record does not name that record.
 */
export function problemOfServiceError(error: ServiceError, principal: Principal | undefined): ProblemError | undefined {
  if (error instanceof NotFoundError) return notFound(error.what);
  if (error instanceof VersionMismatchError) {
    return new ProblemError(412, 'precondition-failed', 'Precondition Failed', `the ${error.what} changed since you read it (now ${etagOf(error.currentVersion)}); GET it again and retry`);
  }
  if (error instanceof InvalidInputError) return validationFailed(error.errors);
  if (error instanceof MallIdTakenError) {
    const visible = error.existing && principal && canAccessCustomer(principal, error.existing.cstCd) ? error.existing : undefined;
    return visible
      ? new ProblemError(409, error.reason, error.title, `mall ${error.mallId} is already linked as ${visible.id}`, { existingLinkId: visible.id })
      : new ProblemError(409, error.reason, error.title, `mall ${error.mallId} is already linked by another customer`);
  }
  if (error instanceof ConflictError) return new ProblemError(409, error.reason, error.title, error.detail);
  if (error instanceof ProductLinkRefusedError) {
    return new ProblemError(422, 'product-link-refused', 'Product Link Refused', error.message, {
      errors: error.refusals.map((r) => ({ path: r.cstGodCd === undefined ? 'variantCode' : 'components', reason: r.reason, message: r.message, ...(r.cstGodCd === undefined ? {} : { cstGodCd: r.cstGodCd }) })),
    });
  }
  if (error instanceof LinkSheetRefusedError) return new ProblemError(error.status, error.slug, error.title, error.detail, error.extensions);
  if (error instanceof FmsGoodsUnavailableError) return new ProblemError(502, 'fms-unavailable', 'FMS Unavailable', error.message);
  return undefined;
}
