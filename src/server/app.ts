import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../domain/time.js';
import type { Store } from '../store/store.js';
import { registerBodyParsers } from './bodyParser.js';
import { errorHandler } from './httpErrors.js';
import { rootRoutes } from './routes/root.js';
import { uiRoutes } from './routes/ui.js';
import { workPoolRoutes } from './routes/workPools.js';
import { workQueueRoutes } from './routes/workQueues.js';
import { deploymentRoutes } from './routes/deployments.js';
import { eventRoutes } from './routes/events.js';
import { flowRoutes } from './routes/flows.js';
import { flowRunRoutes } from './routes/flowRuns.js';
import { logRoutes } from './routes/logs.js';
import { scheduleRoutes } from './routes/schedules.js';
import { workerRoutes } from './routes/workers.js';
import { workerRunRoutes } from './routes/workerRuns.js';
import { Wakeups } from './services/wakeups.js';
import { BATON_VERSION } from './version.js';

export interface AppDeps {
  store: Store;
  clock: Clock;
  /** A pino logger, or false for none (tests). */
  logger?: FastifyBaseLogger | false;
}

/** What route modules get: the injected dependencies plus the app's own long-poll service. */
export interface RouteContext {
  store: Store;
  clock: Clock;
  wakeups: Wakeups;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Largest request body; parameters have their own 512 KiB limit inside it. */
export const BODY_LIMIT = 8 * 1024 * 1024;

/**
 * Builds the HTTP app from its dependencies. Nothing here listens or starts background work:
 * main.ts does that, and tests call the app directly.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  // Responses are built by our own code from typed objects: serialize them directly instead of
  // re-validating every response (response schemas still document the API).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ detail: `Not Found: ${request.method} ${request.url.split('?')[0]}` });
  });
  registerBodyParsers(app as unknown as FastifyInstance);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'baton REST API',
        description: "baton's Prefect-compatible orchestration API.",
        version: BATON_VERSION,
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const wakeups = new Wakeups(deps.store, () => deps.clock.now());
  // Long-polls end at once on shutdown instead of holding it up for their full wait.
  app.addHook('preClose', async () => wakeups.close());
  const ctx: RouteContext = { store: deps.store, clock: deps.clock, wakeups };

  await app.register(
    async (api) => {
      const scoped = api as unknown as App;
      for (const routes of [rootRoutes, workPoolRoutes, workQueueRoutes, workerRoutes, flowRoutes, deploymentRoutes, scheduleRoutes, flowRunRoutes, logRoutes, workerRunRoutes, eventRoutes]) {
        routes(scoped, ctx);
      }
    },
    { prefix: '/api' },
  );
  // The web UI at the root, after the API so its catch-all never shadows an API route.
  uiRoutes(app);
  return app;
}
