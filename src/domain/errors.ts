/**
 * The one error hierarchy of baton. Domain and store code throws these; the server maps them to
 * HTTP statuses in one place (server/errorHandler.ts) and the CLI maps them to one-line messages
 * and exit codes in one place (cli/main.ts).
 */
export interface ErrorDetail {
  /** Where the problem is, as a path of keys (Prefect/pydantic style `loc`). */
  loc: (string | number)[];
  msg: string;
  type: string;
}

export class BatonError extends Error {
  override readonly name: string = 'BatonError';
  constructor(message: string) {
    super(message);
  }
}

/** 404: the named object does not exist. */
export class NotFoundError extends BatonError {
  override readonly name: string = 'NotFoundError';
}

/** 409: the request conflicts with what is stored (a duplicate name, a stale claim). */
export class ConflictError extends BatonError {
  override readonly name: string = 'ConflictError';
}

/** 403: the request is understood but not allowed (reserved names). */
export class ForbiddenError extends BatonError {
  override readonly name: string = 'ForbiddenError';
}

/** 400: the request cannot be carried out as asked. */
export class BadRequestError extends BatonError {
  override readonly name: string = 'BadRequestError';
}

/** 422: the request is well-formed but its content is invalid; `details` names every problem. */
export class InvalidError extends BatonError {
  override readonly name: string = 'InvalidError';
  constructor(
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** 503: a dependency (the database) is not available right now; the client may retry. */
export class UnavailableError extends BatonError {
  override readonly name: string = 'UnavailableError';
}
