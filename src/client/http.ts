import http from 'node:http';
import https from 'node:https';
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

/** The server could not be reached at all (refused, DNS, timeout). */
export class ServerUnreachableError extends BatonError {
  override readonly name = 'ServerUnreachableError';
  constructor(
    readonly apiUrl: string,
    readonly reason: string,
  ) {
    super(
      `Cannot reach the baton server at ${apiUrl} (${reason}). Start one with \`baton server start\`, or point BATON_API_URL at a running server.`,
    );
  }
}

/** An HTTP error answer the client does not map to a domain error (5xx, 413, 415, …). */
export class HttpError extends BatonError {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  /** Abort the request after this many ms (default 30 s; long-polls pass their own). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

function describeBody(body: unknown): { message: string; details: ErrorDetail[] } {
  if (body && typeof body === 'object') {
    const b = body as { detail?: unknown; exception_message?: unknown; exception_detail?: unknown };
    const details = Array.isArray(b.exception_detail) ? (b.exception_detail as ErrorDetail[]) : [];
    if (details.length > 0) {
      return { message: details.map((d) => `${(d.loc ?? []).filter((l) => l !== 'body').join('.') || 'body'}: ${d.msg}`).join('; '), details };
    }
    if (typeof b.detail === 'string') return { message: b.detail, details };
    if (typeof b.exception_message === 'string') return { message: b.exception_message, details };
  }
  return { message: typeof body === 'string' && body !== '' ? body : 'no details', details: [] };
}

/** Turns an error answer into the domain error of the same meaning. */
export function errorFromResponse(status: number, body: unknown): BatonError {
  const { message, details } = describeBody(body);
  switch (status) {
    case 400:
      return new BadRequestError(message);
    case 403:
      return new ForbiddenError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 422:
      return new InvalidError(message, details);
    case 503:
      return new UnavailableError(`The server is unavailable right now: ${message}`);
    default:
      return new HttpError(status, `The server answered ${status}: ${message}`);
  }
}

function causeOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}

/**
 * One JSON request against the API; throws domain errors for error answers. Uses node:http
 * rather than fetch: Node 20 compiles its bundled fetch on first use, which costs a CLI command
 * about 80 ms before the first byte is sent.
 */
export class Http {
  private readonly base: URL;
  private readonly agent: http.Agent;

  constructor(readonly apiUrl: string) {
    this.base = new URL(apiUrl);
    this.agent = new (this.base.protocol === 'https:' ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 32 });
  }

  request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const url = new URL(`${this.base.pathname.replace(/\/+$/, '')}${path}`, this.base);
    const transport = url.protocol === 'https:' ? https : http;
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise<T>((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method,
          agent: this.agent,
          headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
          ...(options.signal ? { signal: options.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(new ServerUnreachableError(this.apiUrl, causeOf(err))));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            if (text !== '') {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = text;
              }
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(parsed as T);
            else reject(errorFromResponse(status, parsed));
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => {
        if (options.signal?.aborted) reject(options.signal.reason ?? err);
        else reject(new ServerUnreachableError(this.apiUrl, causeOf(err)));
      });
      req.end(payload);
    });
  }

  /** Closes idle keep-alive sockets so a short-lived process can exit at once. */
  close(): void {
    this.agent.destroy();
  }
}
