import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  BadRequestError,
  BatonError,
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  UnavailableError,
  type ErrorDetail,
} from '../domain/errors.js';

/**
 * The one place errors become HTTP answers, in Prefect's shapes: `{"detail": …}` for 4xx,
 * `{"exception_message": "Invalid request received.", "exception_detail": [...]}` for 422, and a
 * 500 without internals for anything unexpected (logged with its stack).
 */
export function invalidBody(details: ErrorDetail[], message = 'Invalid request received.'): Record<string, unknown> {
  return { exception_message: message, exception_detail: details, detail: summarize(details) };
}

function summarize(details: ErrorDetail[]): string {
  return details.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; ');
}

/** A zod issue as fastify-type-provider-zod hands it over. */
interface ValidationItem {
  keyword: string;
  instancePath: string;
  message?: string;
  params: { keys?: string[] };
}

function validationDetails(items: ValidationItem[], where: string): ErrorDetail[] {
  return items.map((item) => {
    const path = item.instancePath
      .split('/')
      .filter((p) => p !== '')
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const keys = item.params.keys;
    if (item.keyword === 'unrecognized_keys' && keys) {
      return {
        loc: [where, ...path],
        msg: `unknown field${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`,
        type: 'extra_forbidden',
      };
    }
    return { loc: [where, ...path], msg: item.message ?? 'is invalid', type: item.keyword };
  });
}

const STATUS: [new (...args: never[]) => BatonError, number][] = [
  [NotFoundError, 404],
  [ConflictError, 409],
  [ForbiddenError, 403],
  [BadRequestError, 400],
  [InvalidError, 422],
  [UnavailableError, 503],
];

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    void reply.code(422).send(invalidBody(validationDetails(error.validation as unknown as ValidationItem[], where)));
    return;
  }
  if (error instanceof InvalidError) {
    const details = error.details.length > 0 ? error.details : [{ loc: ['body'], msg: error.message, type: 'value_error' }];
    const body = invalidBody(details, error.message);
    if (error.details.length > 0) body.detail = `${error.message} ${body.detail as string}`;
    void reply.code(422).send(body);
    return;
  }
  if (error instanceof BatonError) {
    const status = STATUS.find(([cls]) => error instanceof cls)?.[1] ?? 400;
    void reply.code(status).send({ detail: error.message });
    return;
  }
  // Fastify's own request errors (bad JSON, too large, wrong content type) carry a 4xx status.
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      void reply.code(422).send(invalidBody([{ loc: ['body'], msg: error.message, type: 'json_invalid' }]));
      return;
    }
    void reply.code(status).send({ detail: error.message });
    return;
  }
  if (isSqliteBusy(error)) {
    void reply.code(503).header('Retry-After', '1').send({ exception_message: 'Service Unavailable' });
    return;
  }
  request.log.error({ err: error, url: request.url, method: request.method }, 'unhandled error');
  void reply.code(500).send({ exception_message: 'Internal Server Error' });
}

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
