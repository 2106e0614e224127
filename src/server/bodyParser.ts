import type { FastifyInstance } from 'fastify';
import { InvalidError } from '../domain/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON body strictly: invalid UTF-8 and invalid JSON are 422s that say so. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new InvalidError('The request body is not valid UTF-8.', [
      { loc: ['body'], msg: 'The request body is not valid UTF-8.', type: 'unicode_error' },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = `The request body is not valid JSON: ${(err as Error).message}`;
    throw new InvalidError(msg, [{ loc: ['body'], msg, type: 'json_invalid' }]);
  }
}

/**
 * JSON is the only body format. A body without a Content-Type is taken as JSON (as Prefect
 * does); any other Content-Type is a 415 that names what to send instead.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  // A POST without a body is an empty object: list endpoints then use their defaults, and
  // create endpoints name each missing field.
  app.addHook('preValidation', async (request) => {
    if ((request.body === null || request.body === undefined) && request.method !== 'GET' && request.method !== 'DELETE') {
      request.body = {};
    }
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json/, { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    if (req.headers['content-type'] === undefined) {
      try {
        done(null, parseJsonBody(body as Buffer));
      } catch (err) {
        done(err as Error, undefined);
      }
      return;
    }
    const err = new Error(
      `Unsupported Content-Type '${req.headers['content-type']}': send the body as JSON with 'Content-Type: application/json'.`,
    ) as Error & { statusCode: number };
    err.statusCode = 415;
    done(err, undefined);
  });
}
