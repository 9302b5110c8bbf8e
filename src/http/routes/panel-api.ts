// JSON routes only the panel needs: the check list, contacts, try-before-you-save, cloning, allowlist-only (and the team and API key routes).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checks } from '../../checks/index.ts';
import { ruleDimensions } from '../../engine/config.ts';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { actorOf, assertAllowed, requireAuth, requires } from '../plugins/auth.ts';
import { needService } from './panel-services.ts';
import type { MaybePanelServices } from './panel-services.ts';
import { registerPanelTeamRoutes } from './panel-team.ts';
import { registerApiKeyRoutes } from './api-keys.ts';

const accountParams = z.object({ accountId: z.string().min(1).max(100) });
const row = z.record(z.string(), z.unknown());
const text = (max: number) => z.string().trim().min(1).max(max);

const tryBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('rule'),
    action: z.enum(['block', 'allow']),
    dimension: z.enum(ruleDimensions),
    value: text(320),
  }),
  z.object({ kind: z.literal('keyword'), phrase: text(200) }),
]);
const tryAnswer = z.object({ caught: z.number(), active: z.number(), activeLeads: z.array(row) });
const cloneBody = z.object({
  ruleIds: z.union([z.literal('all'), z.array(z.string().min(1).max(100)).min(1).max(10_000)]),
  targetAccountIds: z.array(z.string().min(1).max(100)).min(1).max(1000),
});
const cloneCounts = { created: z.number(), skipped: z.number(), segmentsCreated: z.number() };
const cloneAnswer = z.object({
  ...cloneCounts,
  perAccount: z.array(z.object({ accountId: z.string(), ...cloneCounts })),
});
const allowlistBody = z.object({ dimensions: z.array(z.enum(ruleDimensions)).max(ruleDimensions.length) });

/** "Try before you save" looks this far back. */
const tryWindowMs = 30 * 24 * 3600 * 1000;

export async function registerPanelApiRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);
  const services = deps.services as MaybePanelServices;
  await registerPanelTeamRoutes(app, deps);
  await registerApiKeyRoutes(app, deps);

  typed.get(
    '/api/v1/checks',
    {
      onRequest: auth,
      schema: {
        ...requires('signed_in'),
        tags: ['forms'],
        summary: 'The spam checks a form can switch on or off, with their default scores',
        response: {
          200: z.object({
            items: z.array(z.object({ name: z.string(), description: z.string(), defaultScore: z.number() })),
          }),
        },
      },
    },
    async () => ({
      items: checks.map(({ name, description, defaultScore }) => ({ name, description, defaultScore })),
    }),
  );

  typed.get(
    '/api/v1/accounts/:accountId/contacts/:contactId',
    {
      onRequest: auth,
      schema: {
        ...requires('read'),
        tags: ['leads'],
        summary: 'A contact with its activities and history timeline',
        params: accountParams.extend({ contactId: z.string().min(1).max(100) }),
        response: { 200: row },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      const contact = await needService(services, 'getContact')(
        request.params.accountId,
        request.params.contactId,
      );
      if (!contact) throw new HttpError('not_found');
      return contact;
    },
  );

  typed.post(
    '/api/v1/accounts/:accountId/try',
    {
      onRequest: auth,
      schema: {
        ...requires('manage_rules'),
        tags: ['rules'],
        summary:
          'Try a rule or keyword on the last 30 days before saving it: how many leads it catches, which are active',
        params: accountParams,
        body: tryBody,
        response: { 200: tryAnswer },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'manage_rules');
      const since = new Date(Date.now() - tryWindowMs);
      const result = await needService(services, 'tryRule')(request.params.accountId, request.body, since);
      return { ...result, activeLeads: [...result.activeLeads] };
    },
  );

  typed.post(
    '/api/v1/accounts/:accountId/rules/clone',
    {
      onRequest: auth,
      schema: {
        ...requires('manage_rules'),
        tags: ['rules'],
        summary:
          'Copy rules to other accounts of the organization; existing rules are skipped, needed segments created',
        params: accountParams,
        body: cloneBody,
        response: { 200: cloneAnswer },
      },
    },
    async (request) => {
      const principal = await assertAllowed(deps, request, request.params.accountId, 'manage_rules');
      for (const target of request.body.targetAccountIds) {
        if (target === request.params.accountId)
          throw new HttpError('validation_failed', 'Pick accounts other than the source.');
        await assertAllowed(deps, request, target, 'manage_rules');
      }
      const summary = await needService(services, 'cloneRules')(
        request.params.accountId,
        request.body,
        actorOf(principal),
      );
      return { ...summary, perAccount: [...summary.perAccount] };
    },
  );

  typed.get(
    '/api/v1/accounts/:accountId/allowlist-only',
    {
      onRequest: auth,
      schema: {
        ...requires('read'),
        tags: ['rules'],
        summary: 'Dimensions on which only allowed senders pass',
        params: accountParams,
        response: { 200: allowlistBody },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      return { dimensions: [...(await needService(services, 'getAllowlistOnly')(request.params.accountId))] };
    },
  );

  typed.put(
    '/api/v1/accounts/:accountId/allowlist-only',
    {
      onRequest: auth,
      schema: {
        ...requires('manage_rules'),
        tags: ['rules'],
        summary: 'Set the dimensions on which only allowed senders pass',
        params: accountParams,
        body: allowlistBody,
        response: { 200: allowlistBody },
      },
    },
    async (request) => {
      const principal = await assertAllowed(deps, request, request.params.accountId, 'manage_rules');
      const dimensions = [...new Set(request.body.dimensions)];
      await needService(services, 'setAllowlistOnly')(
        request.params.accountId,
        dimensions,
        actorOf(principal),
      );
      return { dimensions };
    },
  );
}
