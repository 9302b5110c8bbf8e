// Akismet-compatible API (/1.1/verify-key, comment-check, submit-spam, submit-ham) so existing plugins can use LeadGuard.
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Lead } from '../../engine/types.ts';
import type { RouteDeps } from '../app-deps.ts';
import { toHttpError } from '../errors.ts';
import { defaultFrequencyWindowMs } from './public-forms.ts';
import type { Principal } from '../services-port.ts';

type ApiKeyPrincipal = Extract<Principal, { kind: 'api_key' }>;
type Fields = Readonly<Record<string, string>>;

export const akismetThanks = 'Thanks for making the web a better place.';
const fieldChars = 65_536;
// Fields read into the lead itself; everything else submitted is kept as extra fields.
const leadFields = new Set([
  'api_key',
  'key',
  'blog',
  'user_ip',
  'user_agent',
  'referrer',
  'permalink',
  'comment_author',
  'comment_author_email',
  'comment_content',
  'is_test',
  'honeypot_field_name',
  'guid',
]);

class AkismetInputError extends Error {}

/** Flattens a form-encoded body into single strings; repeated keys keep their last value. */
export function readFields(body: unknown): Fields {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new AkismetInputError('Send the fields form-encoded (application/x-www-form-urlencoded).');
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, raw] of Object.entries(body)) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value !== 'string') continue;
    if (value.length > fieldChars)
      throw new AkismetInputError(`Field ${key.slice(0, 100)} is longer than ${fieldChars} characters.`);
    out[key] = value;
  }
  return out;
}

/** The key from the `api_key`/`key` field, else the first label of `KEY.host`. */
export function readAkismetKey(
  fields: Fields,
  host: string | undefined,
  publicHost: string | undefined,
): string | undefined {
  const fromField = fields.api_key?.trim() || fields.key?.trim();
  if (fromField) return fromField;
  if (!host) return undefined;
  const hostname = host
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  if (isIP(hostname) !== 0 || hostname === publicHost) return undefined;
  const labels = hostname.split('.');
  return labels.length >= 2 && labels[0] ? labels[0] : undefined;
}

export function leadFromComment(fields: Fields): Lead {
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (
      !leadFields.has(key) &&
      key !== fields.honeypot_field_name &&
      !key.startsWith('HTTP_') &&
      key.length <= 200
    )
      extra[key] = value;
  }
  if (fields.blog) extra.blog = fields.blog;
  const honeypotName = fields.honeypot_field_name;
  return {
    channel: 'akismet',
    name: fields.comment_author,
    email: fields.comment_author_email,
    message: fields.comment_content,
    fields: extra,
    honeypot: honeypotName ? (fields[honeypotName] ?? '') : undefined,
    userAgent: fields.user_agent,
    referrer: fields.referrer,
    pageUrl: fields.permalink,
    ip: fields.user_ip,
  };
}

function answer(reply: FastifyReply, text: string, help?: string): FastifyReply {
  if (help) void reply.header('x-akismet-debug-help', help);
  return reply.code(200).type('text/plain; charset=utf-8').send(text);
}

export async function registerAkismetRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const publicHost = deps.config.publicUrl
    ? new URL(deps.config.publicUrl).hostname.toLowerCase()
    : undefined;

  // Akismet clients read plain text and the debug header, never JSON: answer their errors that way.
  app.setErrorHandler((error, request, reply) => {
    const mapped =
      error instanceof AkismetInputError ? { status: 400, message: error.message } : toHttpError(error);
    if (mapped.status >= 500) request.log.error({ err: error }, 'akismet request failed');
    void reply.header('x-akismet-debug-help', mapped.message);
    void reply
      .code(mapped.status)
      .type('text/plain; charset=utf-8')
      .send(mapped.status >= 500 ? 'error' : mapped.message);
  });

  async function principalOf(request: FastifyRequest, fields: Fields): Promise<ApiKeyPrincipal | undefined> {
    const key = readAkismetKey(fields, request.host, publicHost);
    return key ? deps.services.verifyApiKey(key) : undefined;
  }

  const bodyLimit = 256 * 1024;
  const invalidKey = 'The API key is missing or not valid. Send it as api_key, key, or as KEY.your-host.';

  app.post(
    '/1.1/verify-key',
    { bodyLimit, schema: { tags: ['akismet'], summary: 'valid or invalid' } },
    async (request, reply) => {
      const fields = readFields(request.body);
      const principal = await principalOf(request, fields);
      return principal ? answer(reply, 'valid') : answer(reply, 'invalid', invalidKey);
    },
  );

  app.post(
    '/1.1/comment-check',
    { bodyLimit, schema: { tags: ['akismet'], summary: 'true (spam) or false (ham)' } },
    async (request, reply) => {
      const fields = readFields(request.body);
      const principal = await principalOf(request, fields);
      if (!principal) return answer(reply, 'invalid', invalidKey);
      if (!fields.user_ip)
        return answer(reply, 'Missing required field: user_ip.', 'Missing required field: user_ip.');
      const isTest = fields.is_test === '1' || fields.is_test === 'true';
      const receivedAt = new Date();
      const lead = leadFromComment(fields);
      const ipCount = await deps.counter.hit(
        `${principal.accountId}|${lead.ip}`,
        defaultFrequencyWindowMs,
        receivedAt.getTime(),
      );
      const result = await deps.services.checkComment({
        principal,
        lead,
        facts: { ipCount },
        isTest,
        receivedAt,
      });
      const spam = result.verdict.outcome === 'quarantine';
      void reply.header('x-akismet-guid', result.activityId);
      // A block-list hit is certain: Akismet's "discard" hint tells plugins to drop it without review.
      if (spam && result.verdict.decidedBy === 'block_rule')
        void reply.header('x-akismet-pro-tip', 'discard');
      return answer(reply, spam ? 'true' : 'false');
    },
  );

  for (const label of ['spam', 'ham'] as const) {
    app.post(
      `/1.1/submit-${label}`,
      { bodyLimit, schema: { tags: ['akismet'], summary: `Report a ${label} (a training mark)` } },
      async (request, reply) => {
        const fields = readFields(request.body);
        const principal = await principalOf(request, fields);
        if (!principal) return answer(reply, 'invalid', invalidKey);
        await deps.services.reportComment({
          principal,
          lead: leadFromComment(fields),
          guid: fields.guid,
          label,
          receivedAt: new Date(),
        });
        return answer(reply, akismetThanks);
      },
    );
  }
}
