import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';

/**
 * The web UI at the server's root: the files `npm run build` writes to dist/ui (index.html and
 * content-hashed assets), with a history-API fallback so deep links such as /runs/<id> load the
 * app. /api, /docs and /openapi.json have their own routes and are never answered from here.
 */

/** dist/ui of the repository, from src/server/routes (tsx) and dist/server/routes (built) alike. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../../dist/ui/', import.meta.url));

export interface UiOptions {
  /** Where the built UI lives (tests point it elsewhere). */
  dir?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Hashed names change with their content, so browsers may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * What the page may load: only this server. This is also what makes the air-gapped promise
 * checkable: the browser refuses any outbound request the bundle might try.
 */
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>baton</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>baton</h1>
<p>The web UI is not built yet. Run <code>npm run build</code> in the baton repository, then reload this page.</p>
<p>The REST API is available under <a href="/api/health">/api</a>, with its documentation at <a href="/docs">/docs</a>.</p>
</body></html>
`;

const ASSET_NAME = /^[A-Za-z0-9._-]+$/;

/** The app's JSON 404, as for any unknown route. */
function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

function isApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === '/api' || path.startsWith('/api/');
}

export function uiRoutes(app: App, options: UiOptions = {}): void {
  const dir = options.dir ?? DEFAULT_UI_DIR;

  const sendIndex = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    let html: Buffer;
    try {
      html = await readFile(join(dir, 'index.html'));
    } catch {
      return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT_PAGE);
    }
    // no-cache: the browser revalidates every time, so a rebuild is picked up at once; the ETag
    // keeps that revalidation to a 304 while nothing changed.
    const etag = `"${createHash('sha1').update(html).digest('base64url')}"`;
    void reply.header('cache-control', 'no-cache').header('etag', etag).header('content-security-policy', CSP);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('text/html; charset=utf-8').send(html);
  };

  app.get('/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    if (!ASSET_NAME.test(file) || file.startsWith('.')) return notFound(reply);
    const path = join(dir, 'assets', file);
    const gzipped = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    for (const candidate of gzipped ? [`${path}.gz`, path] : [path]) {
      const info = await stat(candidate).catch(() => null);
      if (!info?.isFile()) continue;
      void reply
        .type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
        .header('cache-control', IMMUTABLE)
        .header('vary', 'accept-encoding')
        .header('content-length', info.size);
      if (candidate !== path) void reply.header('content-encoding', 'gzip');
      return reply.send(createReadStream(candidate));
    }
    return notFound(reply);
  });

  // Every other GET is a page of the app (client-side routing), except the API's own paths.
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (isApiPath(request.url)) return notFound(reply);
    return sendIndex(request, reply);
  });
}
