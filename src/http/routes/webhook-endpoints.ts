// An account's webhook endpoints (admins): list, add (the signing secret is shown once), change, remove.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { webhookEvents } from '../../integrations/webhooks.ts';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { needIntegration } from '../integration-port.ts';
import type { MaybeIntegrationServices } from '../integration-port.ts';
import { assertAllowed, requireAuth, requires } from '../plugins/auth.ts';

const accountParams = z.object({ accountId: z.string().min(1).max(100) });
const endpointParams = accountParams.extend({ endpointId: z.string().min(1).max(100) });
const endpoint = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string(),
});
const change = z.object({
  url: z.string().trim().min(1).max(2000).optional(),
  events: z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length).optional(),
  enabled: z.boolean().optional(),
});
const created = change.required({ url: true, events: true });

export async function registerWebhookEndpointRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);
  const services = deps.services as MaybeIntegrationServices;
  const base = '/api/v1/accounts/:accountId/webhook-endpoints';
  const options = { allowPrivateUrls: deps.config.allowPrivateUrls };

  typed.get(
    base,
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['webhooks'],
        summary: "The account's webhook endpoints (secrets are never shown again)",
        params: accountParams,
        response: { 200: z.object({ items: z.array(endpoint) }) },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      const items = await needIntegration(services, 'listWebhookEndpoints')(request.params.accountId);
      return { items: items.map((item) => ({ ...item, events: [...item.events] })) };
    },
  );

  typed.post(
    base,
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['webhooks'],
        summary:
          'Add an endpoint for lead events, signed per Standard Webhooks; the answer carries its secret, shown this once',
        params: accountParams,
        body: created,
        response: { 201: endpoint.extend({ secret: z.string() }) },
      },
    },
    async (request, reply) => {
      await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      const added = await needIntegration(services, 'createWebhookEndpoint')(
        request.params.accountId,
        request.body,
        options,
      );
      return reply.code(201).send({ ...added, events: [...added.events] });
    },
  );

  typed.patch(
    `${base}/:endpointId`,
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['webhooks'],
        summary: "Change an endpoint's URL, events, or switch it off and on",
        params: endpointParams,
        body: change,
        response: { 200: endpoint },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      const updated = await needIntegration(services, 'updateWebhookEndpoint')(
        request.params.accountId,
        request.params.endpointId,
        request.body,
        options,
      );
      if (!updated) throw new HttpError('not_found');
      return { ...updated, events: [...updated.events] };
    },
  );

  typed.delete(
    `${base}/:endpointId`,
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['webhooks'],
        summary: 'Remove an endpoint; its unsent deliveries fail as "endpoint removed"',
        params: endpointParams,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      const removed = await needIntegration(services, 'deleteWebhookEndpoint')(
        request.params.accountId,
        request.params.endpointId,
      );
      if (!removed) throw new HttpError('not_found');
      return { ok: true as const };
    },
  );
}
