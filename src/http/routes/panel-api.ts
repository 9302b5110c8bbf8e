// JSON routes only the panel needs: first-run setup, the check list, contacts, try-before-you-save, cloning, allowlist-only.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checks } from '../../checks/index.ts';
import { ruleDimensions } from '../../engine/config.ts';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { actorOf, assertAllowed, requireAuth } from '../plugins/auth.ts';
import type { MaybePanelServices, PanelServices } from './panel-services.ts';

const accountParams = z.object({ accountId: z.string().min(1).max(100) });
const row = z.record(z.string(), z.unknown());
const text = (max: number) => z.string().trim().min(1).max(max);

const setupBody = z.object({
  organizationName: text(200),
  accountName: text(200),
  siteDomain: text(253),
  name: text(200),
  email: z.email().max(320),
  password: z.string().min(12, 'at least 12 characters').max(1000),
});
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
const sessionAnswer = z.object({ authenticated: z.boolean(), csrfToken: z.string() });

/** "Try before you save" looks this far back. */
const tryWindowMs = 30 * 24 * 3600 * 1000;

function need<K extends keyof PanelServices>(
  services: MaybePanelServices,
  name: K,
): NonNullable<PanelServices[K]> {
  const method = services[name];
  if (typeof method !== 'function')
    throw new HttpError('unavailable', `This server has no ${String(name)} service wired.`);
  return method.bind(services) as NonNullable<PanelServices[K]>;
}

export async function registerPanelApiRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);
  const services = deps.services as MaybePanelServices;

  typed.get(
    '/api/v1/setup',
    {
      schema: {
        tags: ['setup'],
        summary: 'Whether first-run setup is still open',
        response: { 200: z.object({ needsSetup: z.boolean() }) },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
      return { needsSetup: await need(services, 'needsSetup')() };
    },
  );

  typed.post(
    '/api/v1/setup',
    {
      // The page got its token from GET /api/v1/session; a cross-site page cannot claim a fresh install.
      preHandler: (request, reply, done) => app.csrfProtection(request, reply, done),
      schema: {
        tags: ['setup'],
        summary: 'First run: create the organization, its first account and the owner, and sign the owner in',
        body: setupBody,
        response: { 200: sessionAnswer },
      },
    },
    async (request, reply) => {
      const created = await need(
        services,
        'createFirstOwner',
      )({ ...request.body, email: request.body.email.toLowerCase() });
      if (!created) throw new HttpError('conflict', 'Setup is already done. Sign in instead.');
      request.session.regenerate();
      request.session.set('userId', created.userId);
      void reply.header('cache-control', 'no-store');
      return { authenticated: true, csrfToken: reply.generateCsrf() };
    },
  );

  typed.get(
    '/api/v1/checks',
    {
      preHandler: auth,
      schema: {
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
      preHandler: auth,
      schema: {
        tags: ['leads'],
        summary: 'A contact with its activities and history timeline',
        params: accountParams.extend({ contactId: z.string().min(1).max(100) }),
        response: { 200: row },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      const contact = await need(services, 'getContact')(request.params.accountId, request.params.contactId);
      if (!contact) throw new HttpError('not_found');
      return contact;
    },
  );

  typed.post(
    '/api/v1/accounts/:accountId/try',
    {
      preHandler: auth,
      schema: {
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
      const result = await need(services, 'tryRule')(request.params.accountId, request.body, since);
      return { ...result, activeLeads: [...result.activeLeads] };
    },
  );

  typed.post(
    '/api/v1/accounts/:accountId/rules/clone',
    {
      preHandler: auth,
      schema: {
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
      const summary = await need(services, 'cloneRules')(
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
      preHandler: auth,
      schema: {
        tags: ['rules'],
        summary: 'Dimensions on which only allowed senders pass',
        params: accountParams,
        response: { 200: allowlistBody },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      return { dimensions: [...(await need(services, 'getAllowlistOnly')(request.params.accountId))] };
    },
  );

  typed.put(
    '/api/v1/accounts/:accountId/allowlist-only',
    {
      preHandler: auth,
      schema: {
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
      await need(services, 'setAllowlistOnly')(request.params.accountId, dimensions, actorOf(principal));
      return { dimensions };
    },
  );
}
