// Panel sign-in: GET/POST/DELETE /api/v1/session, GET /api/v1/me with the accounts the user can open, and password change.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { endSession, requireAuth, requires, sessionUserId, startSession } from '../plugins/auth.ts';
import { needService } from './panel-services.ts';
import type { MaybePanelServices } from './panel-services.ts';
import { newPassword } from './panel-team.ts';

const loginBody = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1000),
});
const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string().optional() }),
  organizations: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  accounts: z.array(
    z.object({ id: z.string(), name: z.string(), role: z.string(), organizationId: z.string().optional() }),
  ),
});
const sessionBody = z.object({ authenticated: z.boolean(), csrfToken: z.string(), me: meSchema.optional() });
const passwordBody = z.object({ currentPassword: z.string().min(1).max(1000), newPassword });
/** Guessing the current password through a stolen session is as slow as guessing it at the login. */
const passwordAttempts = { max: 10, timeWindow: '1 minute' };

export async function registerSessionRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  // Login attempts per IP and address; a fixed window is fine here (this is not the spam counter).
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);
  const services = deps.services as MaybePanelServices;

  async function describe(userId: string | undefined) {
    if (!userId) return undefined;
    const me = await deps.services.getMe(userId);
    return me
      ? {
          user: { ...me.user, name: me.user.name ?? undefined },
          ...(me.organizations ? { organizations: [...me.organizations] } : {}),
          accounts: [...me.accounts],
        }
      : undefined;
  }

  typed.get(
    '/api/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Current session and a CSRF token for state-changing calls',
        response: { 200: sessionBody },
      },
    },
    async (request, reply) => {
      const me = await describe(await sessionUserId(deps, request));
      void reply.header('cache-control', 'no-store');
      return { authenticated: me !== undefined, csrfToken: reply.generateCsrf(), me };
    },
  );

  typed.post(
    '/api/v1/session',
    {
      config: {
        rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: (request) => deps.clientIp(request) },
      },
      preHandler: (request, reply, done) => app.csrfProtection(request, reply, done),
      schema: {
        tags: ['session'],
        summary: 'Sign in with email and password',
        body: loginBody,
        response: { 200: sessionBody },
      },
    },
    async (request, reply) => {
      const found = await deps.services.verifyLogin(request.body.email.toLowerCase(), request.body.password);
      if (!found) throw new HttpError('invalid_credentials');
      startSession(request, found.userId, (await services.findSessionVersion?.(found.userId)) ?? 0);
      void reply.header('cache-control', 'no-store');
      return { authenticated: true, csrfToken: reply.generateCsrf(), me: await describe(found.userId) };
    },
  );

  typed.delete(
    '/api/v1/session',
    {
      onRequest: auth,
      schema: {
        ...requires('signed_in'),
        tags: ['session'],
        summary:
          "Sign out: this session ends on the server too (a copy of its cookie stops working); the user's other sessions go on",
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await endSession(deps, request);
      return reply.code(204).send(null);
    },
  );

  typed.get(
    '/api/v1/accounts',
    {
      onRequest: auth,
      schema: {
        ...requires('signed_in'),
        tags: ['session'],
        summary: 'Accounts the caller can open, with their role',
        response: { 200: z.object({ items: meSchema.shape.accounts }) },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (principal?.kind === 'api_key') {
        const me = await deps.services.getAccount?.(principal.accountId);
        return { items: me ? [{ ...me, role: principal.role }] : [] };
      }
      const me = await describe(principal?.userId);
      if (!me) throw new HttpError('unauthenticated');
      return { items: me.accounts };
    },
  );

  typed.get(
    '/api/v1/me',
    {
      onRequest: auth,
      schema: {
        ...requires('signed_in'),
        // An API key belongs to one account, not to a user.
        security: [{ session: [] }],
        tags: ['session'],
        summary: 'The signed-in user and the accounts they can open',
        response: { 200: meSchema },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (principal?.kind !== 'user')
        throw new HttpError('forbidden', 'API keys belong to one account; /me is for signed-in users.');
      const me = await describe(principal.userId);
      if (!me) throw new HttpError('unauthenticated');
      return me;
    },
  );

  typed.post(
    '/api/v1/me/password',
    {
      onRequest: auth,
      config: {
        rateLimit: {
          ...passwordAttempts,
          keyGenerator: (request) => request.session.get('userId') ?? deps.clientIp(request),
        },
      },
      schema: {
        ...requires('signed_in'),
        security: [{ session: [] }],
        tags: ['session'],
        summary:
          "Change the signed-in user's password (the current one is required); the user's other sessions are signed out",
        body: passwordBody,
        response: { 200: z.object({ authenticated: z.boolean(), csrfToken: z.string() }) },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal?.kind !== 'user')
        throw new HttpError('forbidden', 'An API key has no password; sign in as the user to change it.');
      const changed = await needService(services, 'changePassword')(principal.userId, request.body);
      if (!changed) throw new HttpError('invalid_credentials', 'The current password is wrong.');
      // This session goes on under the new version; every other session of the user ends at its next request.
      startSession(request, principal.userId, changed.sessionVersion);
      void reply.header('cache-control', 'no-store');
      return { authenticated: true, csrfToken: reply.generateCsrf() };
    },
  );
}
