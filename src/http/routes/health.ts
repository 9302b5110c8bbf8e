// GET /health: whether this instance, its database and its shared counter store answer.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';

const healthBody = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  database: z.enum(['ok', 'down']),
  /**
   * `degraded` while Redis is configured but unreachable and counts are this instance's own;
   * `not_configured` without REDIS_URL: the in-process counter is in use, which is right for one instance.
   */
  redis: z.enum(['ok', 'degraded', 'not_configured']),
});

export async function registerHealthRoute(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Liveness and dependencies',
        response: { 200: healthBody, 503: healthBody },
      },
    },
    async (_request, reply) => {
      const database = (await deps.services.checkDatabase().catch(() => false)) ? 'ok' : 'down';
      const redis = deps.counter.health();
      const status = database === 'down' ? 'down' : redis === 'degraded' ? 'degraded' : 'ok';
      void reply.header('cache-control', 'no-store');
      return reply.code(database === 'ok' ? 200 : 503).send({ status, database, redis });
    },
  );
}
