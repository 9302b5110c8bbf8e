// Hostile input on the running server's public endpoints (voice webhook, email-link pages, sign-in, first-run setup): never a 5xx, a clear 4xx, nothing stored half.
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpamLinkToken } from '../../src/integrations/email-link.ts';
import { hasPostgres } from '../support/services.ts';
import { startIntegrationServer } from './support/integration-server.ts';
import type { IntegrationServer, Tenant } from './support/integration-server.ts';

const postgresUp = await hasPostgres();
const publicUrl = 'https://leads.example.com';
const instanceToken = 'hostile-twilio-token-0123456789';
const recipient = 'sales@dealer.example';
const runs = 60;

/** Keys that pollute prototypes when merged carelessly, and names the endpoints read. */
const keys = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  fc.constantFrom('token', 'CallSid', 'To', 'From', 'email', 'password', 'organizationName', 'name'),
  fc.string({ maxLength: 40 }),
);
/** Values that break naive code: NUL and control bytes, header injection, markup, lone surrogates, huge text. */
const values = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b@example.com',
    'x\r\nBcc: victim@else.example',
    '<script>alert(1)</script>',
    '\ud800\udfff\ud800',
    '%FF%FE',
    '=HYPERLINK("http://evil.example")',
  ),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
);
const formBody = fc
  .array(fc.tuple(keys, values), { maxLength: 12 })
  // URLSearchParams writes a lone surrogate as U+FFFD; the raw bytes below carry invalid UTF-8.
  .map((pairs) => new URLSearchParams(pairs).toString());
const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 8 }).map((value) => JSON.stringify(value)),
  fc
    .dictionary(keys, fc.oneof(values, fc.integer(), fc.boolean(), fc.constant(null), fc.array(values)))
    .map((value) => JSON.stringify(value)),
  fc.nat({ max: 5000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
);
/** Random bytes: mostly invalid UTF-8 (stray continuation bytes, cut sequences). */
const rawBytes = fc.uint8Array({ maxLength: 400 });
const contentTypes = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  undefined,
);
const bodies = fc.oneof(formBody, jsonBody, rawBytes, fc.string({ maxLength: 500 }));

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly text: string;
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(
    `hostile input on the public endpoints [${kind}]`,
    () => {
      let server: IntegrationServer;
      let tenant: Tenant;
      let leadId: string;

      beforeAll(async () => {
        server = await startIntegrationServer(kind, {
          PUBLIC_URL: publicUrl,
          TWILIO_AUTH_TOKEN: instanceToken,
          // Each fuzzed sign-in comes from its own address, so the login limit does not answer them all.
          TRUSTED_PROXY: 'x-forwarded-for',
        });
        tenant = await server.seedTenant('Fuzzland', { notificationRecipients: [recipient] });
        leadId = await server.ingestHamLead(tenant, {
          name: 'Ann Lee',
          email: 'ann.lee@example.com',
          message: 'Is the blue F-150 still available for a test drive on Saturday?',
        });
      }, 60_000);

      afterAll(async () => {
        await server?.stop();
      });

      async function send(
        method: 'GET' | 'POST',
        path: string,
        init: {
          body?: string | Uint8Array<ArrayBuffer>;
          contentType?: string;
          headers?: Record<string, string>;
        } = {},
      ): Promise<Answer> {
        const response = await fetch(`${server.url}${path}`, {
          method,
          headers: {
            ...(init.contentType ? { 'content-type': init.contentType } : {}),
            ...init.headers,
          },
          body: init.body,
        });
        return {
          status: response.status,
          type: response.headers.get('content-type') ?? '',
          text: await response.text(),
        };
      }

      /** Rows of the tables a refused request must leave alone. */
      async function counts(): Promise<Record<string, number>> {
        const tables = ['activities', 'contacts', 'history_events', 'deliveries', 'training_marks', 'users'];
        const entries = await Promise.all(
          tables.map(async (table) => {
            const [row] = await server.storage.db.query<{ n: string | number }>(
              `SELECT count(*) AS n FROM ${table}`,
            );
            return [table, Number(row?.n)] as const;
          }),
        );
        return Object.fromEntries(entries);
      }

      function expectClearRefusal(answer: Answer, context: string): void {
        expect(answer.status, `${context}: ${answer.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${context}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
        expect(answer.text.trim().length, context).toBeGreaterThan(0);
      }

      describe('voice webhook', () => {
        const path = () => `/api/v1/voice/${tenant.formKey}`;

        it('refuses unsigned and wrongly signed bodies with a 4xx and stores nothing', async () => {
          const before = await counts();
          await fc.assert(
            fc.asyncProperty(
              contentTypes,
              bodies,
              fc.option(fc.oneof(fc.string({ maxLength: 60 }), fc.base64String({ maxLength: 40 }))),
              async (contentType, body, signature) => {
                const answer = await send('POST', path(), {
                  contentType,
                  body,
                  headers:
                    signature === null ? {} : { 'x-twilio-signature': signature.replace(/[\r\n]/g, '') },
                });
                expectClearRefusal(answer, `voice ${contentType ?? 'no type'}`);
              },
            ),
            { numRuns: runs },
          );
          expect(await counts()).toEqual(before);
        });

        it('answers signed calls with hostile parameters with TwiML or a 400, storing one call or none', async () => {
          const params = fc.record(
            {
              CallSid: fc.oneof(
                fc.constant('').map(() => `CA${randomBytes(16).toString('hex')}`),
                values,
              ),
              To: fc.oneof(fc.constant('+14155550123'), values),
              From: fc.oneof(fc.constant('+14155550100'), values),
              CallerName: values,
              FromCountry: values,
            },
            { requiredKeys: [] },
          );
          const extra = fc.dictionary(keys, values, { maxKeys: 4 });
          await fc.assert(
            fc.asyncProperty(params, extra, async (known, more) => {
              const all: Record<string, string> = {};
              // Assigned one by one, so a `__proto__` key becomes a field and not a prototype.
              for (const [name, value] of [...Object.entries(more), ...Object.entries(known)])
                Object.defineProperty(all, name, { value, enumerable: true, writable: true });
              const signature = twilio.getExpectedTwilioSignature(
                instanceToken,
                `${publicUrl}${path()}`,
                all,
              );
              const before = (await counts()).activities ?? 0;
              const answer = await send('POST', path(), {
                contentType: 'application/x-www-form-urlencoded',
                body: new URLSearchParams(Object.entries(all)).toString(),
                headers: { 'x-twilio-signature': signature },
              });
              const after = (await counts()).activities ?? 0;
              if (answer.status === 200) {
                expect(answer.type).toMatch(/^text\/xml/);
                expect(answer.text).toMatch(
                  /<Response><(Dial>[^<]*<\/Dial|Reject reason="busy"\/)><\/Response>$/,
                );
                expect(after - before).toBeLessThanOrEqual(1);
              } else {
                expectClearRefusal(answer, `signed voice ${JSON.stringify(all).slice(0, 200)}`);
                expect(after).toBe(before);
              }
            }),
            { numRuns: runs },
          );
        });
      });

      describe('email-link pages', () => {
        const statusOfLead = async () =>
          (
            await server.storage.db.query<{ status: string }>('SELECT status FROM activities WHERE id = $1', [
              leadId,
            ])
          )[0]?.status;

        /** Tokens that look right but are not: random, forged with another secret, expired, for another recipient or lead. */
        const tokens = fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc
            .tuple(fc.base64String({ maxLength: 200 }), fc.base64String({ maxLength: 60 }))
            .map(([a, b]) => `${a}.${b}`),
          fc.nat({ max: 100_000 }).map((n) => `${'A'.repeat(n)}.${'B'.repeat(43)}`),
          fc
            .record({
              secret: fc.oneof(fc.constant('forged'), fc.constant('right')),
              lead: fc.constantFrom('this', 'unknown'),
              to: fc.constantFrom(recipient, 'someone@else.example'),
              ageDays: fc.integer({ min: -1, max: 30 }),
            })
            .filter(
              (t) => !(t.secret === 'right' && t.lead === 'this' && t.to === recipient && t.ageDays < 14),
            )
            .map((t) =>
              createSpamLinkToken({
                secret: t.secret === 'right' ? server.config.secretKey : 'some-other-secret-0123456789abcdef',
                accountId: tenant.accountId,
                leadId: t.lead === 'this' ? leadId : randomUUID(),
                recipient: t.to,
                now: Date.now() - t.ageDays * 24 * 3600 * 1000,
              }),
            ),
        );

        it('refuses every bad token on the confirmation page and on the form post, and flags nothing', async () => {
          const before = await counts();
          await fc.assert(
            fc.asyncProperty(
              tokens,
              fc.constantFrom('query', 'repeated query', 'form', 'json', 'json array'),
              async (token, how) => {
                const answer =
                  how === 'query'
                    ? await send('GET', `/email/spam?token=${encodeURIComponent(token)}`)
                    : how === 'repeated query'
                      ? await send('GET', `/email/spam?token=${encodeURIComponent(token)}&token=x`)
                      : await send('POST', '/email/spam', {
                          contentType:
                            how === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
                          body:
                            how === 'form'
                              ? new URLSearchParams({ token }).toString()
                              : JSON.stringify(how === 'json' ? { token } : { token: [token] }),
                        });
                expectClearRefusal(answer, `email link by ${how}`);
                // The route's page, or a JSON refusal for what never reached it (431 for a URL past the header limit).
                if (answer.type.startsWith('text/html')) expect(answer.text).toMatch(/<h1>[^<]+<\/h1>/);
                else expect(answer.text).toMatch(/"message":"[^"]+"/);
              },
            ),
            { numRuns: runs },
          );
          expect(await counts()).toEqual(before);
          expect(await statusOfLead()).toBe('active');
        });

        it('refuses odd query strings and bodies: invalid UTF-8, NUL bytes, nested keys', async () => {
          const before = await counts();
          for (const query of [
            'token=%FF%FE',
            'token=%00',
            'token[a]=1',
            'token=%E2%82',
            '%FF=1',
            'token=a.b&x=%C0%AF',
          ])
            expectClearRefusal(await send('GET', `/email/spam?${query}`), query);
          await fc.assert(
            fc.asyncProperty(contentTypes, bodies, async (contentType, body) => {
              expectClearRefusal(await send('POST', '/email/spam', { contentType, body }), `email link body`);
            }),
            { numRuns: runs },
          );
          expect(await counts()).toEqual(before);
          expect(await statusOfLead()).toBe('active');
        });
      });

      describe('sign-in and first-run setup', () => {
        /** A session cookie and its CSRF token, so a body that passes validation reaches the service. */
        async function agent(): Promise<Record<string, string>> {
          const response = await fetch(`${server.url}/api/v1/session`);
          const cookie = response.headers
            .getSetCookie()
            .map((item) => item.split(';')[0])
            .join('; ');
          const { csrfToken } = (await response.json()) as { csrfToken: string };
          return { cookie, 'x-csrf-token': csrfToken };
        }
        const address = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => `10.${p.join('.')}`);

        it('refuses hostile sign-in bodies with a 4xx', async () => {
          const headers = await agent();
          const shaped = fc.record({ email: values, password: values }).map((body) => JSON.stringify(body));
          await fc.assert(
            fc.asyncProperty(
              contentTypes,
              fc.oneof(bodies, shaped),
              address,
              async (contentType, body, ip) => {
                const answer = await send('POST', '/api/v1/session', {
                  contentType,
                  body,
                  headers: { ...headers, 'x-forwarded-for': ip },
                });
                expectClearRefusal(answer, `sign-in ${contentType ?? 'no type'}`);
              },
            ),
            { numRuns: runs },
          );
          // The same service path each time: a valid shape whose email the database is asked about.
          for (const email of [
            'a\u0000b@example.com',
            'eve\ud800@example.com',
            'x@y.example\r\nBcc: v@else.example',
          ]) {
            const answer = await send('POST', '/api/v1/session', {
              contentType: 'application/json',
              body: JSON.stringify({ email, password: 'whatever it is' }),
              headers: { ...headers, 'x-forwarded-for': '10.9.9.9' },
            });
            expect([400, 401], `${JSON.stringify(email)}: ${answer.text}`).toContain(answer.status);
          }
        });

        it('refuses hostile setup bodies with a 4xx and creates no owner', async () => {
          const headers = await agent();
          const shaped = fc
            .record({
              organizationName: values,
              accountName: values,
              siteDomain: values,
              name: values,
              email: values,
              password: fc.string({ maxLength: 11 }),
            })
            .map((body) => JSON.stringify(body));
          const before = await counts();
          await fc.assert(
            fc.asyncProperty(contentTypes, fc.oneof(bodies, shaped), async (contentType, body) => {
              expectClearRefusal(
                await send('POST', '/api/v1/setup', { contentType, body, headers }),
                `setup ${contentType ?? 'no type'}`,
              );
            }),
            { numRuns: runs },
          );
          expect(await counts()).toEqual(before);
          const open = await send('GET', '/api/v1/setup');
          expect(JSON.parse(open.text)).toEqual({ needsSetup: true });
        });

        it('stores a setup whose names carry NUL bytes, lone surrogates and markup, or refuses it whole', async () => {
          const headers = await agent();
          const before = await counts();
          const answer = await send('POST', '/api/v1/setup', {
            contentType: 'application/json',
            headers,
            body: JSON.stringify({
              organizationName: 'Group\u0000 <script>alert(1)</script>',
              accountName: 'Main\ud800 St',
              siteDomain: 'main\u0000st.example',
              name: 'Eve\r\nBcc: victim@else.example',
              email: 'owner@mainst.example',
              password: 'a long enough password \u0000',
            }),
          });
          expect(answer.status, answer.text).toBeLessThan(500);
          const after = await counts();
          if (answer.status === 200) expect(after.users).toBe((before.users ?? 0) + 1);
          else {
            expectClearRefusal(answer, 'setup with NUL bytes');
            expect(after).toEqual(before);
          }
        });
      });
    },
  );
}
