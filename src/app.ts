// buildApp(deps): the Fastify application with every plugin and route, not listening, so tests run it in memory.
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppDeps, RouteDeps } from './http/app-deps.ts';
import { createClientIpReader, parseTrustedProxy } from './http/client-ip.ts';
import { handleError, handleNotFound } from './http/errors.ts';
import { buildLoggerOptions } from './http/logging.ts';
import { registerAuth } from './http/plugins/auth.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { routeGroups } from './http/routes/index.ts';

export type { AppDeps } from './http/app-deps.ts';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { trustProxy } = parseTrustedProxy(deps.config.trustedProxy);
  const logger =
    deps.logger === false || deps.logger === undefined
      ? false
      : deps.logger === true
        ? buildLoggerOptions(deps.config.logLevel)
        : buildLoggerOptions(deps.logger.level, deps.logger.stream);
  const app = Fastify({
    logger,
    trustProxy: trustProxy ?? false,
    bodyLimit: 256 * 1024,
    // Slow clients must not hold connections open forever.
    requestTimeout: 30_000,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  // While draining, answers close their keep-alive connection so close() does not wait for idle sockets to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  const routeDeps: RouteDeps = { ...deps, clientIp: createClientIpReader(deps.config.trustedProxy) };

  registerSecurityHeaders(app);
  await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'LeadGuard API', version: '1' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'leadguard_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(registerAuth, routeDeps);
  for (const group of routeGroups) {
    await app.register(async (scope) => group(scope, routeDeps));
  }
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
