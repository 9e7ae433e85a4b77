/**
 * What can go wrong talking to FMS, split by what the caller should do: retry later (the
 * service or the network failed) or stop (FMS refused the request; retrying sends the same
 * refusal). `retryable` is what Temporal activity retry policies key on.
 */
export abstract class FmsError extends Error {
  abstract readonly retryable: boolean;
}

export type FmsUnavailableReason = 'server_error' | 'rate_limited' | 'network' | 'timeout';

/**
 * FMS did not answer usefully: 5xx, 429, a broken connection or a timeout. For a create, the
 * request may still have been stored: the outcome is unknown, not failed.
 */
export class FmsUnavailableError extends FmsError {
  readonly retryable = true;
  constructor(
    readonly reason: FmsUnavailableReason,
    message: string,
    readonly status: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FmsUnavailableError';
  }
}

/** FMS answered and refused: a validation or business error (on any HTTP status, 200 included). */
export class FmsRejectedError extends FmsError {
  readonly retryable = false;
  constructor(
    /** FMS `errorInfo.errorCode`, or `HTTP_<status>` when it sent none. */
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'FmsRejectedError';
  }
}

/** FMS refused our API code/key: a configuration problem, not a transient one. */
export class FmsAuthError extends FmsRejectedError {
  constructor(code: string, message: string, status: number) {
    super(code, message, status);
    this.name = 'FmsAuthError';
  }
}

/** FMS answered with something that does not match the contract we know. */
export class FmsProtocolError extends FmsError {
  readonly retryable = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FmsProtocolError';
  }
}
