// Public routes a site's form calls: the render token and the submission intake, with CORS for the form's own domains only.
import fastifyCors from '@fastify/cors';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBusyAddress } from '../../counters/busy-address.ts';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError, handleError, toHttpError } from '../errors.ts';
import { createFloodGate } from '../flood-gate.ts';
import { createFormCache, isOwnOrigin } from '../form-cache.ts';
import { intakeLimits, leadFromBody } from '../lead-from-body.ts';
import type { PublicForm } from '../services-port.ts';

const params = z.object({
  formKey: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
});
/** The shipped per-IP window (the engine's default frequency.windowSeconds). */
export const defaultFrequencyWindowMs = 300_000;
const formKeyInPath = /^\/api\/v1\/forms\/([A-Za-z0-9_-]{1,100})\/(?:token|submissions)(?:\?|$)/;
const okBody = z.object({ ok: z.literal(true) });
const tokenBody = z.object({ token: z.string(), honeypotField: z.string() });

/** A plain HTML form post (no script): the browser navigates, so it wants a page, not JSON. */
export function wantsRedirect(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  const mode = request.headers['sec-fetch-mode'];
  const type = request.headers['content-type'] ?? '';
  const formPost =
    type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
  return formPost && accept.includes('text/html') && (mode === undefined || mode === 'navigate');
}

export async function registerPublicFormRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const forms = createFormCache(deps.services);
  const floodGate = createFloodGate();
  const formOf = new WeakMap<FastifyRequest, PublicForm | undefined>();

  async function lookup(request: FastifyRequest): Promise<PublicForm | undefined> {
    if (formOf.has(request)) return formOf.get(request);
    // Preflights reach the CORS plugin's wildcard OPTIONS route, whose params carry no form key.
    const key = (request.params as { formKey?: unknown }).formKey ?? formKeyInPath.exec(request.url)?.[1];
    const form = typeof key === 'string' ? await forms.get(key) : undefined;
    formOf.set(request, form);
    return form;
  }

  await app.register(fastifyCors, {
    // Only the form's own site may read answers; preflights for other origins get no CORS headers.
    delegator: async (request: FastifyRequest) => {
      const form = await lookup(request).catch(() => undefined);
      const origin = request.headers.origin;
      return {
        origin: form !== undefined && isOwnOrigin(origin, form.siteDomains) ? origin : false,
        methods: ['GET', 'POST'],
        allowedHeaders: ['Content-Type', 'Accept'],
        maxAge: 600,
      };
    },
  });
  await app.register(fastifyMultipart, {
    limits: {
      fieldNameSize: 200,
      fieldSize: intakeLimits.fieldChars * 4,
      fields: intakeLimits.fields,
      files: 0,
      parts: intakeLimits.fields,
      headerPairs: 100,
    },
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: true,
  });

  // Busboy reports broken multipart bodies as plain errors; anything failing before the handler ran is the body's fault.
  const reachedHandler = new WeakSet<FastifyRequest>();
  app.setErrorHandler((error, request, reply) => {
    const known = toHttpError(error);
    const bodyFault = known.code === 'internal' && !reachedHandler.has(request);
    handleError(
      bodyFault
        ? new HttpError('invalid_body', 'The multipart body could not be read; check its boundary and parts.')
        : error,
      request,
      reply,
    );
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/v1/forms/:formKey/token',
    {
      schema: {
        tags: ['intake'],
        summary: 'A fresh signed render token for the form',
        params,
        response: { 200: tokenBody },
      },
    },
    async (request, reply) => {
      reachedHandler.add(request);
      const form = await lookup(request);
      if (!form) throw new HttpError('form_not_found');
      void reply.header('cache-control', 'no-store');
      return { token: deps.issueRenderToken(form.formKey, Date.now()), honeypotField: form.honeypotField };
    },
  );

  typed.post(
    '/api/v1/forms/:formKey/submissions',
    {
      bodyLimit: intakeLimits.bodyBytes,
      // Before its body is read: a flooding address's request lets the requests behind it go first.
      onRequest: async (request) => {
        if (floodGate.isMarked(deps.clientIp(request))) await floodGate.turn();
      },
      schema: {
        tags: ['intake'],
        summary: 'Submit a lead (JSON, url-encoded or multipart). Answers the same for every accepted lead.',
        params,
        response: { 202: okBody },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      reachedHandler.add(request);
      const form = await lookup(request);
      if (!form) throw new HttpError('form_not_found');
      const lead = leadFromBody(request.body, form.honeypotField, {
        ip: deps.clientIp(request),
        userAgent: request.headers['user-agent']?.slice(0, 1000),
        referrer: request.headers.referer?.slice(0, 2000),
      });
      const receivedAt = new Date();
      const ipCount = await deps.counter.hit(
        `${form.accountId}|${lead.ip}`,
        form.frequencyWindowMs ?? defaultFrequencyWindowMs,
        receivedAt.getTime(),
      );
      if (lead.ip && isBusyAddress(ipCount, form.frequencyLimit)) floodGate.mark(lead.ip);
      // Durable before any 2xx: the answer waits for the commit.
      await deps.services.ingestLead({ form, lead, facts: { ipCount }, receivedAt });
      void reply.header('cache-control', 'no-store');
      if (wantsRedirect(request)) return reply.redirect(form.thankYouUrl ?? '/thanks', 303);
      return reply.code(202).send({ ok: true });
    },
  );

  app.get('/thanks', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><meta charset="utf-8"><title>Thank you</title><p>Thank you, your message was sent.</p>',
      ),
  );
}
