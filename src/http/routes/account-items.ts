// Rules, keywords, segments and forms of one account: list, create, update, delete; editing needs the right role.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { layerSchema, ruleSchema, segmentSchema } from '../../engine/config.ts';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { actorOf, assertAllowed, requireAuth, requires } from '../plugins/auth.ts';
import type { Action, ListKind } from '../services-port.ts';

const keywordSchema = z.object({
  phrase: z.string().trim().min(1).max(200),
  note: z.string().max(1000).optional(),
});
const formSchema = z.object({
  name: z.string().trim().min(1).max(200),
  siteDomains: z.array(z.string().trim().min(1).max(253)).max(100).default([]),
  honeypotField: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{2,63}$/, 'letters, digits, - and _, 3 to 64 characters')
    .optional(),
  thankYouUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  settings: layerSchema.optional(),
  notificationRecipients: z.array(z.email()).max(50).optional(),
  autoresponder: z.boolean().optional(),
});

const kinds: Readonly<Record<ListKind, { schema: z.ZodObject; edit: Action; label: string }>> = {
  rules: { schema: ruleSchema.omit({ id: true }), edit: 'manage_rules', label: 'rule' },
  keywords: { schema: keywordSchema, edit: 'manage_rules', label: 'keyword' },
  segments: { schema: segmentSchema, edit: 'manage_rules', label: 'segment' },
  forms: { schema: formSchema, edit: 'manage_account', label: 'form' },
};

const accountParams = z.object({ accountId: z.string().min(1).max(100) });
const itemParams = accountParams.extend({ itemId: z.string().min(1).max(100) });
const row = z.record(z.string(), z.unknown());

export async function registerAccountItemRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);

  for (const [kind, { schema, edit, label }] of Object.entries(kinds) as [
    ListKind,
    (typeof kinds)[ListKind],
  ][]) {
    const base = `/api/v1/accounts/:accountId/${kind}`;
    typed.get(
      base,
      {
        onRequest: auth,
        schema: {
          ...requires('read'),
          tags: [kind],
          summary: `List ${kind}`,
          params: accountParams,
          querystring: z.object({ q: z.string().max(200).optional() }),
          response: { 200: z.object({ items: z.array(row) }) },
        },
      },
      async (request) => {
        await assertAllowed(deps, request, request.params.accountId, 'read');
        return {
          items: [
            ...(await deps.services.listItems(kind, request.params.accountId, { text: request.query.q })),
          ],
        };
      },
    );
    typed.post(
      base,
      {
        onRequest: auth,
        schema: {
          ...requires(edit),
          tags: [kind],
          summary: `Add a ${label}`,
          params: accountParams,
          body: schema,
          response: { 201: row },
        },
      },
      async (request, reply) => {
        const principal = await assertAllowed(deps, request, request.params.accountId, edit);
        const created = await deps.services.createItem(
          kind,
          request.params.accountId,
          request.body as Record<string, unknown>,
          actorOf(principal),
        );
        return reply.code(201).send(created);
      },
    );
    typed.patch(
      `${base}/:itemId`,
      {
        onRequest: auth,
        schema: {
          ...requires(edit),
          tags: [kind],
          summary: `Change a ${label}`,
          params: itemParams,
          body: schema.partial(),
          response: { 200: row },
        },
      },
      async (request) => {
        const principal = await assertAllowed(deps, request, request.params.accountId, edit);
        const updated = await deps.services.updateItem(
          kind,
          request.params.accountId,
          request.params.itemId,
          request.body as Record<string, unknown>,
          actorOf(principal),
        );
        if (!updated) throw new HttpError('not_found');
        return updated;
      },
    );
    typed.delete(
      `${base}/:itemId`,
      {
        onRequest: auth,
        schema: {
          ...requires(edit),
          tags: [kind],
          summary: `Delete a ${label}`,
          params: itemParams,
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
      },
      async (request) => {
        const principal = await assertAllowed(deps, request, request.params.accountId, edit);
        if (
          !(await deps.services.deleteItem(
            kind,
            request.params.accountId,
            request.params.itemId,
            actorOf(principal),
          ))
        )
          throw new HttpError('not_found');
        return { ok: true as const };
      },
    );
  }

  typed.get(
    '/api/v1/accounts/:accountId/reports',
    {
      onRequest: auth,
      schema: {
        ...requires('read'),
        tags: ['reports'],
        summary:
          'Leads over time, by form and by source (channel), quarantine reasons and per-check release rates (active leads unless includeSpam)',
        params: accountParams,
        querystring: z.object({
          from: z.coerce.date().optional(),
          to: z.coerce.date().optional(),
          includeSpam: z
            .enum(['true', 'false'])
            .transform((value) => value === 'true')
            .optional(),
        }),
        response: { 200: row },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'read');
      const to = request.query.to ?? new Date();
      const from = request.query.from ?? new Date(to.getTime() - 30 * 24 * 3600 * 1000);
      if (from > to) throw new HttpError('validation_failed', '`from` must be before `to`.');
      return deps.services.getReport(request.params.accountId, {
        from,
        to,
        includeSpam: request.query.includeSpam,
      });
    },
  );
}
