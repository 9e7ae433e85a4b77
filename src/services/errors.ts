/**
 * Failures of a service operation that the caller caused and can act on. Each kind means one
 * thing everywhere; the API turns them into problem+json in one place (src/api/lib/service-problems.ts).
 */
export abstract class ServiceError extends Error {}

/** The thing named does not exist (or no longer does). */
export class NotFoundError extends ServiceError {
  constructor(readonly what: string) {
    super(`${what} was not found`);
    this.name = 'NotFoundError';
  }
}

/** The caller's version of a versioned record is not the stored one: someone changed it since. */
export class VersionMismatchError extends ServiceError {
  constructor(
    readonly what: string,
    readonly currentVersion: number,
  ) {
    super(`${what} is now at version ${currentVersion}`);
    this.name = 'VersionMismatchError';
  }
}

/** Input that breaks a rule only the whole of it can be checked against; one entry per field. */
export class InvalidInputError extends ServiceError {
  constructor(readonly errors: { path: string; message: string }[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    this.name = 'InvalidInputError';
  }
}

/**
 * The operation contradicts the stored state (a duplicate, a limit, a decision already made).
 * `reason` is a stable kebab-case name of the rule; `detail` says what to do about it.
 */
export class ConflictError extends ServiceError {
  constructor(
    readonly reason: string,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ConflictError';
  }
}
