// An account's API keys for owners and admins: list, create (the key is in that one answer) and revoke.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { actorOf, assertAllowed, requireAuth, requires } from '../plugins/auth.ts';
import type { Principal } from '../services-port.ts';
import { needService } from './panel-services.ts';
import type { MaybePanelServices } from './panel-services.ts';

const base = '/api/v1/accounts/:accountId/api-keys';
const accountParams = z.object({ accountId: z.string().min(1).max(100) });
/** An API key never acts as an owner: it cannot hand out ownership of the account. */
const keyRoles = ['admin', 'contact_admin', 'member'] as const;
const apiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe("The key's first characters, to recognise it"),
  role: z.enum(['owner', ...keyRoles]),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().describe('Updated at most once a minute'),
});
const createBody = z.object({ name: z.string().trim().min(1).max(200), role: z.enum(keyRoles) });
// Keys are managed from a signed-in session only: a leaked key must not be able to mint or revoke keys.
const sessionOnly = { ...requires('manage_account'), security: [{ session: [] }] };

export async function registerApiKeyRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);
  const services = deps.services as MaybePanelServices;

  async function allowUser(request: FastifyRequest, accountId: string): Promise<Principal> {
    const principal = await assertAllowed(deps, request, accountId, 'manage_account');
    if (principal.kind !== 'user')
      throw new HttpError('forbidden', 'Sign in as an owner or admin to manage API keys.');
    return principal;
  }

  typed.get(
    base,
    {
      onRequest: auth,
      schema: {
        ...sessionOnly,
        tags: ['api keys'],
        summary: "The account's live API keys (never the keys themselves)",
        params: accountParams,
        response: { 200: z.object({ items: z.array(apiKey) }) },
      },
    },
    async (request) => {
      await allowUser(request, request.params.accountId);
      return { items: [...(await needService(services, 'listApiKeys')(request.params.accountId))] };
    },
  );

  typed.post(
    base,
    {
      onRequest: auth,
      schema: {
        ...sessionOnly,
        tags: ['api keys'],
        summary: 'Create an API key with a role; the answer carries the key, shown this once',
        params: accountParams,
        body: createBody,
        response: {
          201: z.object({ id: z.string(), name: z.string(), prefix: z.string(), key: z.string() }),
        },
      },
    },
    async (request, reply) => {
      const principal = await allowUser(request, request.params.accountId);
      const created = await needService(services, 'createApiKey')(
        request.params.accountId,
        request.body,
        actorOf(principal),
      );
      void reply.header('cache-control', 'no-store');
      return reply.code(201).send({ ...created, name: request.body.name });
    },
  );

  typed.delete(
    `${base}/:keyId`,
    {
      onRequest: auth,
      schema: {
        ...sessionOnly,
        tags: ['api keys'],
        summary: 'Revoke an API key; it is refused from its next request on',
        params: accountParams.extend({ keyId: z.string().min(1).max(100) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const principal = await allowUser(request, request.params.accountId);
      const revoked = await needService(services, 'revokeApiKey')(
        request.params.accountId,
        request.params.keyId,
        actorOf(principal),
      );
      if (!revoked) throw new HttpError('not_found', 'This account has no live API key with that id.');
      return reply.code(204).send(null);
    },
  );
}
