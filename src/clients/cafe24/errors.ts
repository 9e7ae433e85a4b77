/**
 * Typed failures of Cafe24 calls. `retryable` tells activities (and Temporal) whether trying
 * again can help; the message never contains tokens or personal data.
 */
export abstract class Cafe24Error extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly mallId: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 429: the bucket (or the usage quota) is full; try again after `retryAfterMs`. */
export class Cafe24RateLimited extends Cafe24Error {
  readonly retryable = true;
  constructor(
    mallId: string,
    readonly retryAfterMs: number,
  ) {
    super(`Cafe24 rate limit for ${mallId}; retry after ${retryAfterMs} ms`, mallId, 429);
  }
}

/** 5xx, a timeout, a dropped connection or an unreadable body: transient. */
export class Cafe24Unavailable extends Cafe24Error {
  readonly retryable = true;
}

/** The mall's consent is gone (refresh token rejected, or never installed): the seller must reinstall. */
export class Cafe24ReauthRequired extends Cafe24Error {
  readonly retryable = false;
}

/** 401 even right after a token refresh. */
export class Cafe24Unauthorized extends Cafe24Error {
  readonly retryable = false;
}

/** A 4xx Cafe24 will answer the same way every time. */
export abstract class Cafe24Rejected extends Cafe24Error {
  readonly retryable = false;
  constructor(
    message: string,
    mallId: string,
    status?: number,
    /** `error.code` of Cafe24's body, when it sent one. */
    readonly errorCode?: string,
  ) {
    super(message, mallId, status);
  }
}
/** 400 or 422: a request Cafe24 considers malformed or out of spec. */
export class Cafe24InvalidRequest extends Cafe24Rejected {}
/** 403: scope missing, app deleted from the mall, or the mall is not eligible. */
export class Cafe24Forbidden extends Cafe24Rejected {}
export class Cafe24NotFound extends Cafe24Rejected {}
/** 409: the same update was already applied. */
export class Cafe24Conflict extends Cafe24Rejected {}

/** A success body that does not have the shape we rely on. */
export class Cafe24ResponseInvalid extends Cafe24Error {
  readonly retryable = false;
}

/** One KST day holds more orders than one query may page through; splitting by time is unconfirmed. */
export class Cafe24WindowTooLarge extends Cafe24Error {
  readonly retryable = false;
}

export function rejectionFor(status: number, mallId: string, message: string, errorCode?: string): Cafe24Rejected {
  if (status === 403) return new Cafe24Forbidden(message, mallId, status, errorCode);
  if (status === 404) return new Cafe24NotFound(message, mallId, status, errorCode);
  if (status === 409) return new Cafe24Conflict(message, mallId, status, errorCode);
  return new Cafe24InvalidRequest(message, mallId, status, errorCode);
}
