// A lead's deliveries with every attempt, the resend button for a failed one, and the account's hold window.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { needIntegration } from '../integration-port.ts';
import type { MaybeIntegrationServices } from '../integration-port.ts';
import { assertAllowed, requireAuth, requires } from '../plugins/auth.ts';

const leadParams = z.object({ accountId: z.string().min(1).max(100), leadId: z.string().min(1).max(100) });
const accountParams = z.object({ accountId: z.string().min(1).max(100) });
const holdBody = z.object({ holdMinutes: z.number().int().min(0).max(10_080) });
const deliveryParams = z.object({
  accountId: z.string().min(1).max(100),
  deliveryId: z.string().min(1).max(100),
});

export async function registerDeliveryRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);
  const services = deps.services as MaybeIntegrationServices;

  typed.get(
    '/api/v1/accounts/:accountId/leads/:leadId/deliveries',
    {
      onRequest: auth,
      schema: {
        ...requires('read'),
        tags: ['leads'],
        summary:
          "The lead's deliveries (notification, autoresponder, CRM export, webhooks) with every attempt",
        params: leadParams,
        response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      const items = await needIntegration(services, 'listLeadDeliveries')(
        request.params.accountId,
        request.params.leadId,
      );
      if (!items) throw new HttpError('not_found');
      return { items: [...items] };
    },
  );

  typed.post(
    '/api/v1/accounts/:accountId/deliveries/:deliveryId/resend',
    {
      onRequest: auth,
      schema: {
        ...requires('review'),
        tags: ['leads'],
        summary: 'Send a failed delivery again (back to pending with a fresh attempt budget)',
        params: deliveryParams,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request) => {
      // Contact admins and admins: the same role that reviews leads.
      await assertAllowed(deps, request, request.params.accountId, 'review');
      const resent = await needIntegration(services, 'resendDelivery')(
        request.params.accountId,
        request.params.deliveryId,
      );
      if (!resent) throw new HttpError('not_found', 'No failed delivery has this id.');
      return { ok: true as const };
    },
  );

  typed.get(
    '/api/v1/accounts/:accountId/hold-window',
    {
      onRequest: auth,
      schema: {
        ...requires('read'),
        tags: ['leads'],
        summary: 'How long CRM exports and webhooks wait, so a lead marked spam meanwhile is never sent',
        params: accountParams,
        response: { 200: holdBody },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      const holdMinutes = await needIntegration(services, 'getHoldMinutes')(request.params.accountId);
      if (holdMinutes === undefined) throw new HttpError('not_found');
      return { holdMinutes };
    },
  );

  typed.put(
    '/api/v1/accounts/:accountId/hold-window',
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['leads'],
        summary:
          'Set the hold window (0 to 10080 minutes); notification emails and autoresponders never wait',
        params: accountParams,
        body: holdBody,
        response: { 200: holdBody },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      const { holdMinutes } = request.body;
      if (!(await needIntegration(services, 'setHoldMinutes')(request.params.accountId, holdMinutes)))
        throw new HttpError('not_found');
      return { holdMinutes };
    },
  );
}
