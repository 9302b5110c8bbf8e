// Leads of one account: inbox, search, quarantine (with its count), detail, and the review actions.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { actorOf, assertAllowed, requireAuth, requires } from '../plugins/auth.ts';
import type { Actor, HttpServices } from '../services-port.ts';

const accountParams = z.object({ accountId: z.string().min(1).max(100) });
const leadParams = accountParams.extend({ leadId: z.string().min(1).max(100) });
const listQuery = z.object({
  view: z.enum(['inbox', 'search', 'quarantine', 'recent']).default('inbox'),
  text: z.string().max(500).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(50).optional(),
  name: z.string().max(200).optional(),
  formId: z.string().max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  includeSpam: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
const row = z.record(z.string(), z.unknown());
const page = z.object({
  items: z.array(row),
  nextCursor: z.string().optional(),
  total: z.number().optional().describe('On the first page: how many match (the whole quarantine exactly)'),
  totalCapped: z
    .boolean()
    .optional()
    .describe('true when counting stopped at `total`: more match (shown as "1,000+")'),
});
const done = z.object({ ok: z.literal(true) });

type ReviewCall = (
  services: HttpServices,
  accountId: string,
  leadId: string,
  actor: Actor,
) => Promise<boolean>;
const reviewActions: Readonly<Record<string, { call: ReviewCall; summary: string }>> = {
  'mark-spam': {
    call: (s, a, l, actor) => s.markSpam(a, l, actor),
    summary: 'Mark the lead as spam (quarantine it; a training mark)',
  },
  'mark-not-spam': {
    call: (s, a, l, actor) => s.markNotSpam(a, l, actor),
    summary: 'Release the lead: processed as if never quarantined (a training mark)',
  },
  'block-email': {
    call: (s, a, l, actor) => s.blockEmailFromActivity(a, l, actor),
    summary: "Block the lead's email address",
  },
  'block-domain': {
    call: (s, a, l, actor) => s.blockDomainFromActivity(a, l, actor),
    summary: "Block the lead's email domain",
  },
};

export async function registerLeadRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);

  typed.get(
    '/api/v1/accounts/:accountId/leads',
    {
      onRequest: auth,
      schema: {
        ...requires('read'),
        tags: ['leads'],
        summary: 'Inbox, search, recent activity or quarantine',
        params: accountParams,
        querystring: listQuery,
        response: { 200: page },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      const result = await deps.services.listLeads(request.params.accountId, request.query);
      return {
        items: [...result.items],
        nextCursor: result.nextCursor,
        total: result.total,
        totalCapped: result.totalCapped,
      };
    },
  );

  typed.get(
    '/api/v1/accounts/:accountId/quarantine/count',
    {
      onRequest: auth,
      schema: {
        ...requires('read'),
        tags: ['leads'],
        summary: 'How many leads are in quarantine',
        params: accountParams,
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (request, reply) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      void reply.header('cache-control', 'no-store');
      return { count: await deps.services.countQuarantine(request.params.accountId) };
    },
  );

  typed.get(
    '/api/v1/accounts/:accountId/leads/:leadId',
    {
      onRequest: auth,
      schema: {
        ...requires('read'),
        tags: ['leads'],
        summary: 'One lead with its fields, verdict signals and deliveries',
        params: leadParams,
        response: { 200: row },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      const lead = await deps.services.getLead(request.params.accountId, request.params.leadId);
      if (!lead) throw new HttpError('not_found');
      return lead;
    },
  );

  for (const [path, action] of Object.entries(reviewActions)) {
    typed.post(
      `/api/v1/accounts/:accountId/leads/:leadId/${path}`,
      {
        onRequest: auth,
        schema: {
          ...requires('review'),
          tags: ['leads'],
          summary: action.summary,
          params: leadParams,
          response: { 200: done },
        },
      },
      async (request) => {
        const principal = await assertAllowed(deps, request, request.params.accountId, 'review');
        const found = await action.call(
          deps.services,
          request.params.accountId,
          request.params.leadId,
          actorOf(principal),
        );
        if (!found) throw new HttpError('not_found');
        return { ok: true as const };
      },
    );
  }

  typed.delete(
    '/api/v1/accounts/:accountId/leads/:leadId',
    {
      onRequest: auth,
      schema: {
        ...requires('review'),
        tags: ['leads'],
        summary: 'Delete the lead (soft; the history keeps a line)',
        params: leadParams,
        response: { 200: done },
      },
    },
    async (request) => {
      const principal = await assertAllowed(deps, request, request.params.accountId, 'review');
      const found = await deps.services.deleteActivity(
        request.params.accountId,
        request.params.leadId,
        actorOf(principal),
      );
      if (!found) throw new HttpError('not_found');
      return { ok: true as const };
    },
  );
}
