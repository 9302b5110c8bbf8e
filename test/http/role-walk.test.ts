// Walks every operation of the served OpenAPI document as every kind of caller, over the real server and storage:
// no session, each role of account A, account B's owner and API key (with A's ids in paths, filters and bodies),
// and a session without its CSRF token. A route added later is walked because the walk is read from the document.
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMembership, createApiKey, createUser } from '../../src/services/index.ts';
import { panelSections } from '../../web/src/sections.ts';
import { startRealServer } from './support/real-server.ts';
import type { SeededTenant } from './support/real-server.ts';
import {
  changesState,
  fillPath,
  listOperations,
  listServedRoutes,
  roleMayCall,
  sampleOf,
} from './support/role-walk.ts';
import type { CallerRole, OpenApiDocument, Operation } from './support/role-walk.ts';

/** Operations anyone may call, each with why; every other operation must declare `x-required-role`. */
const publicOperations: Readonly<Record<string, string>> = {
  'GET /health': 'liveness for load balancers; says nothing about any tenant',
  'GET /embed.js': 'the script customer websites embed',
  'GET /api/v1/forms/{formKey}/token': 'intake: a render token for a public form (test/http/embed.test.ts)',
  'POST /api/v1/forms/{formKey}/submissions': 'intake from websites (test/http/intake.test.ts)',
  'POST /1.1/verify-key': 'Akismet-compatible API, authenticated by the key in its body (akismet.test.ts)',
  'POST /1.1/comment-check': 'Akismet-compatible API, authenticated by the key in its body',
  'POST /1.1/submit-spam': 'Akismet-compatible API, authenticated by the key in its body',
  'POST /1.1/submit-ham': 'Akismet-compatible API, authenticated by the key in its body',
  'GET /api/v1/session': 'tells whether a session exists and hands out a CSRF token',
  'POST /api/v1/session': 'sign-in (CSRF-checked, rate-limited)',
  'GET /api/v1/setup': 'whether first-run setup is open; a boolean',
  'POST /api/v1/setup': 'first-run setup; refused once an owner exists (checked below)',
};
/** Routes left out of the document on purpose, each with why; any other undocumented route fails the walk. */
const hiddenRoutes: Readonly<Record<string, string>> = {
  'GET /api/v1/openapi.json': 'the document itself',
  'POST /api/v1/voice/{formKey}':
    'Twilio voice webhook, authenticated by its request signature (voice tests)',
  'GET /email/spam': 'email-link page, authenticated by the signed link (email-flag tests)',
  'POST /email/spam': 'email-link page, authenticated by the signed link (email-flag tests)',
  'GET /thanks': 'the default thank-you page after a form post',
  'GET /{*}': "the panel's built scripts and styles (static files under /assets/, printed as a wildcard)",
};
/** The panel's HTML shell: the same index.html for everyone; its data comes only through the API walked here. */
function isPanelPage(key: string): boolean {
  const match = /^GET \/([\w-]*)(\/\{\*\})?$/.exec(key);
  return match !== null && (match[1] === '' || (panelSections as readonly string[]).includes(match[1] ?? ''));
}

const real = await startRealServer('pglite');
const app = real.server.app;
const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<OpenApiDocument>();
const operations = listOperations(doc);
const walked = operations.filter(
  (operation) => !publicOperations[operation.key] && !isPanelPage(operation.key),
);

interface Caller {
  /** Who signed in: signing out is walked with a fresh session of the same person. */
  readonly email?: string;
  readonly cookie?: string;
  readonly csrf?: string;
  readonly apiKey?: string;
}

/** What one tenant holds, with the id each path parameter takes. */
interface Tenant {
  readonly seeded: SeededTenant;
  readonly ids: Record<string, string>;
  /** Item ids by the collection in front of `{itemId}`. */
  readonly items: Record<string, string>;
  /** The lead in the inbox and the one in quarantine. */
  readonly leadIds: readonly [string, string];
  readonly buyer: { readonly name: string; readonly email: string };
  /** Every id, email and name of the tenant: none may appear in an answer to another tenant. */
  readonly secrets: string[];
}

const password = 'correct horse battery';
const callers: Partial<
  Record<'member' | 'contact_admin' | 'admin' | 'owner' | 'ownerB' | 'adminKey', Caller>
> = {};
let alder: Tenant;
let birch: Tenant;
let birchSecondAccount = '';

function cookieOf(response: LightMyRequestResponse): string | undefined {
  const raw = response.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((item) => item.split(';')[0] ?? '').find((item) => item.startsWith('leadguard_session='));
}

/** Sign-ins so far: each comes from an address of its own, as the login is rate-limited per address. */
let signIns = 0;

async function signIn(email: string): Promise<Caller> {
  signIns += 1;
  const remoteAddress = `127.0.${Math.floor(signIns / 250)}.${(signIns % 250) + 1}`;
  const first = await app.inject({ method: 'GET', url: '/api/v1/session' });
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress,
    headers: { cookie: cookieOf(first) ?? '', 'x-csrf-token': first.json().csrfToken },
    payload: { email, password },
  });
  expect(login.statusCode, login.body).toBe(200);
  return { email, cookie: cookieOf(login), csrf: login.json().csrfToken };
}

async function call(caller: Caller, method: string, url: string, body?: unknown, csrf = caller.csrf) {
  // Signing out ends the session it is sent with: a fresh session of the same person goes instead, so the sessions
  // the rest of the walk uses go on (another session's CSRF token, or none, is still sent as asked).
  if (method === 'DELETE' && url === '/api/v1/session' && caller.email) {
    const fresh = await signIn(caller.email);
    csrf = csrf === caller.csrf ? fresh.csrf : csrf;
    caller = fresh;
  }
  const headers: Record<string, string> = {};
  if (caller.cookie) headers.cookie = caller.cookie;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (caller.apiKey) headers.authorization = `Bearer ${caller.apiKey}`;
  return app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

async function asOwner(caller: Caller, method: string, url: string, body?: unknown) {
  const response = await call(caller, method, url, body);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json();
}

async function addUser(accountId: string, email: string, name: string, role: CallerRole): Promise<void> {
  const user = await createUser({ db: real.storage.db }, { email, password, name });
  await addMembership({ db: real.storage.db }, { userId: user.id, accountId, role });
}

/** Gives a tenant a lead in the inbox and one in quarantine, a rule, a keyword, a segment and a webhook endpoint. */
async function furnish(seeded: SeededTenant, owner: Caller, word: string): Promise<Tenant> {
  const account = `/api/v1/accounts/${seeded.accountId}`;
  const spammer = `spammer@${word}-spam.example`;
  const rule = await asOwner(owner, 'POST', `${account}/rules`, {
    action: 'block',
    dimension: 'email',
    value: spammer,
  });
  const keyword = await asOwner(owner, 'POST', `${account}/keywords`, { phrase: `${word} walnut offer` });
  const segment = await asOwner(owner, 'POST', `${account}/segments`, {
    name: `${word} buyers`,
    conditions: [{ field: 'email', op: 'contains', value: `${word}-buyer` }],
  });
  const webhook = await asOwner(owner, 'POST', `${account}/webhook-endpoints`, {
    url: `https://hooks.${word}.example/leads`,
    events: ['lead.created'],
  });
  // A notification recipient gives each inbox lead a delivery.
  const [form] = (await asOwner(owner, 'GET', `${account}/forms`)).items;
  await asOwner(owner, 'PATCH', `${account}/forms/${form.id}`, {
    notificationRecipients: [`desk@${word}.example`],
  });
  const buyer = {
    name: `${word} Buyerson`,
    email: `buyer@${word}-buyer.example`,
    message: 'Is it available?',
  };
  for (const lead of [buyer, { name: `${word} Spammer`, email: spammer, message: 'Cheap offer' }]) {
    const posted = await app.inject({
      method: 'POST',
      url: `/api/v1/forms/${seeded.formKey}/submissions`,
      payload: lead,
    });
    expect(posted.statusCode).toBe(202);
  }
  const [active] = (await asOwner(owner, 'GET', `${account}/leads?view=inbox`)).items;
  const [quarantined] = (await asOwner(owner, 'GET', `${account}/leads?view=quarantine`)).items;
  const [delivery] = (await asOwner(owner, 'GET', `${account}/leads/${active.id}/deliveries`)).items;
  expect(delivery, 'the inbox lead has a delivery').toBeDefined();
  const items = { rules: rule.id, keywords: keyword.id, segments: segment.id, forms: form.id };
  const ids = {
    accountId: seeded.accountId,
    leadId: active.id,
    contactId: active.contactId,
    deliveryId: delivery.id,
    endpointId: webhook.id,
  };
  const secrets = [
    ...Object.values(ids),
    ...Object.values(items),
    quarantined.id,
    quarantined.contactId,
    seeded.formKey,
    seeded.email,
    buyer.email,
    buyer.name,
    spammer,
    `${word} walnut offer`,
    `${word} buyers`,
    `hooks.${word}.example`,
  ];
  for (const value of secrets) expect(typeof value, `a seeded id of ${word}`).toBe('string');
  return { seeded, ids, items, leadIds: [active.id, quarantined.id], buyer, secrets };
}

/** The ids of a person on the account and of its API key, for the routes that remove a member or revoke a key. */
async function addPeopleIds(tenant: Tenant, owner: Caller, memberEmail: string): Promise<void> {
  const account = `/api/v1/accounts/${tenant.ids.accountId}`;
  const members: { userId: string; email: string }[] = (await asOwner(owner, 'GET', `${account}/members`))
    .items;
  tenant.ids.userId = members.find((member) => member.email === memberEmail)?.userId ?? '';
  if (operations.some((operation) => operation.key === 'GET /api/v1/accounts/{accountId}/api-keys'))
    tenant.ids.keyId = (await asOwner(owner, 'GET', `${account}/api-keys`)).items[0].id;
  tenant.secrets.push(...members.map((member) => member.userId), tenant.ids.keyId ?? tenant.ids.userId);
}

beforeAll(async () => {
  const seededA = await real.seedTenant('Alder');
  const seededB = await real.seedTenant('Birch');
  await addUser(seededA.accountId, 'member@alder.example', 'Mona Member', 'member');
  await addUser(seededA.accountId, 'flagger@alder.example', 'Fiona Flagger', 'contact_admin');
  await addUser(seededA.accountId, 'admin@alder.example', 'Adam Admin', 'admin');
  callers.member = await signIn('member@alder.example');
  callers.contact_admin = await signIn('flagger@alder.example');
  callers.admin = await signIn('admin@alder.example');
  callers.owner = await signIn(seededA.email);
  callers.ownerB = await signIn(seededB.email);
  const adminKey = await createApiKey(
    { db: real.storage.db },
    { accountId: seededA.accountId, name: 'walk', role: 'admin' },
  );
  callers.adminKey = { apiKey: adminKey.key };
  alder = await furnish(seededA, callers.owner, 'alder');
  alder.secrets.push('Mona Member', 'Fiona Flagger', 'Adam Admin', '@alder.example');
  birch = await furnish(seededB, callers.ownerB, 'birch');
  await addPeopleIds(alder, callers.owner, 'member@alder.example');
  await addPeopleIds(birch, callers.ownerB, seededB.email);
  const second = await asOwner(
    callers.ownerB,
    'POST',
    `/api/v1/accounts/${seededB.accountId}/organization/accounts`,
    {
      name: 'Birch North',
      siteDomain: 'birch-north.example',
    },
  );
  birchSecondAccount = second.id;
}, 60_000);
afterAll(() => real.stop());

/** The ids a path takes for a tenant; `{itemId}` is the item of the collection it follows. */
function idsFor(
  tenant: Tenant,
  path: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const collection = /\/([\w-]+)\/\{itemId\}/.exec(path)?.[1];
  const itemId = collection === undefined ? undefined : tenant.items[collection];
  return { ...tenant.ids, ...(itemId ? { itemId } : {}), ...overrides };
}

/** Every path parameter but the account replaced by an id nobody has: lets a role through without changing data. */
function unknownIds(tenant: Tenant): Record<string, string> {
  return Object.fromEntries(
    Object.keys({ ...tenant.ids, itemId: '' }).map((name) => [
      name,
      name === 'accountId' ? tenant.ids.accountId! : randomUUID(),
    ]),
  );
}

/** Path ids that are no id, the account's own kept so the role check can answer (the router refuses over 100 characters). */
function malformedIds(tenant: Tenant, path: string): Record<string, string> {
  const ids = idsFor(tenant, path);
  return Object.fromEntries(
    Object.keys({ ...ids, itemId: '' }).map((name) => [
      name,
      name === 'accountId' ? ids.accountId! : 'not an id',
    ]),
  );
}

/** A request the route cannot accept: malformed ids, every query value too long, a body of the wrong shape. */
function malformedRequest(operation: Operation, tenant: Tenant): { url: string; body: unknown } {
  const query = new URLSearchParams(operation.queryParams.map((name) => [name, 'x'.repeat(5000)]));
  const url = `${fillPath(operation.path, malformedIds(tenant, operation.path))}?${query.toString()}`;
  return { url, body: operation.body ? ['not', 'the', 'body'] : undefined };
}

function bodyFor(operation: Operation, pick?: (property: string) => unknown): unknown {
  return operation.body ? sampleOf(operation.body, pick) : undefined;
}

/** A's ids put wherever a body names an id, so another tenant's request points at A's data. */
function alderIdsIn(property: string): unknown {
  if (property === 'targetAccountIds') return [alder.ids.accountId];
  if (property === 'ruleIds') return [alder.items.rules];
  if (property.endsWith('Ids')) return [alder.ids.leadId];
  if (property.endsWith('Id')) return alder.ids.leadId;
  return undefined;
}

function expectNothingOf(tenant: Tenant, response: LightMyRequestResponse, what: string): void {
  const leaked = tenant.secrets.filter((secret) => response.body.includes(secret));
  expect(leaked, `${what} answered ${response.statusCode} with another tenant's data`).toEqual([]);
  expect(response.statusCode, `${what}: ${response.body}`).toBeLessThan(500);
}

function expectRefused(response: LightMyRequestResponse, statuses: readonly number[], what: string): void {
  expect(statuses, `${what} answered ${response.statusCode}: ${response.body}`).toContain(
    response.statusCode,
  );
}

describe('the document', () => {
  it('declares the least role of every operation that is not listed as public', () => {
    const undeclared = walked
      .filter((operation) => !operation.requiredRole)
      .map((operation) => operation.key);
    expect(undeclared, 'declare them with ...requires(action) in the route schema').toEqual([]);
  });

  it('lists as public only operations that exist and declare no role', () => {
    for (const key of Object.keys(publicOperations)) {
      const operation = operations.find((item) => item.key === key);
      expect(operation, `${key} is listed as public but not in the document`).toBeDefined();
      expect(operation?.requiredRole, `${key} is listed as public but declares a role`).toBeUndefined();
    }
  });

  it('documents every route the server serves, but the hidden ones listed with their reason', () => {
    const documented = new Set(operations.map((operation) => operation.key));
    const served = listServedRoutes(app.printRoutes({ commonPrefix: false }));
    expect(served.filter((key) => !documented.has(key) && !hiddenRoutes[key])).toEqual([]);
    expect(Object.keys(hiddenRoutes).filter((key) => !served.includes(key))).toEqual([]);
  });

  const intruder = {
    organizationName: 'Intruder',
    accountName: 'Intruder',
    siteDomain: 'intruder.example',
    name: 'Intruder',
    email: 'intruder@intruder.example',
    password: 'a long enough password',
  };

  it('refuses first-run setup once an owner exists', async () => {
    const first = await app.inject({ method: 'GET', url: '/api/v1/session' });
    const setup = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      headers: { cookie: cookieOf(first) ?? '', 'x-csrf-token': first.json().csrfToken },
      payload: intruder,
    });
    expect(setup.statusCode).toBe(409);
  });

  it('refuses the public panel state changes (sign-in, setup) without their CSRF token (403)', async () => {
    const first = await app.inject({ method: 'GET', url: '/api/v1/session' });
    for (const [url, payload] of [
      ['/api/v1/session', { email: alder.seeded.email, password }],
      ['/api/v1/setup', intruder],
    ] as const) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieOf(first) ?? '' },
        payload,
      });
      expectRefused(response, [403], `POST ${url} without CSRF token`);
      expect(response.json().error.code).toBe('csrf_invalid');
    }
  });
});

for (const [key, reason] of Object.entries(publicOperations))
  it.skip(`${key} is public: ${reason}`, () => {});

for (const operation of walked) {
  const { method, path, requiredRole } = operation;
  if (!requiredRole) continue;
  const accountScoped = path.includes('{accountId}');
  const otherIds = path.match(/\{(\w+)\}/g)?.filter((name) => name !== '{accountId}') ?? [];

  describe(`${operation.key} (least role: ${requiredRole})`, () => {
    it('refuses a caller without a session or key (401)', async () => {
      const response = await call({}, method, fillPath(path, idsFor(alder, path)), bodyFor(operation));
      expectRefused(response, [401], 'no session');
      expect(response.json().error.code).toBe('unauthenticated');
    });

    it('refuses a caller without a session before reading a malformed request (401, not 400)', async () => {
      const { url, body } = malformedRequest(operation, alder);
      const response = await call({}, method, url, body);
      expectRefused(response, [401], 'no session, malformed request');
      expect(response.json().error.code).toBe('unauthenticated');
    });

    for (const role of ['member', 'contact_admin'] as const) {
      if (roleMayCall(role, requiredRole)) continue;
      it(`refuses a ${role} of the account before reading a malformed request (403, not 400)`, async () => {
        const { url, body } = malformedRequest(operation, alder);
        const response = await call(callers[role]!, method, url, body);
        expectRefused(response, [403], `${role}, malformed request`);
        expect(response.json().error.code).toBe('forbidden');
      });

      it(`refuses a ${role} of the account (403)`, async () => {
        const url = fillPath(path, idsFor(alder, path));
        const response = await call(callers[role]!, method, url, bodyFor(operation));
        expectRefused(response, [403], role);
        expect(response.json().error.code).toBe('forbidden');
      });
    }

    if (accountScoped && !roleMayCall('contact_admin', requiredRole))
      it("refuses the account's contact_admin API key (403)", async () => {
        const url = fillPath(path, idsFor(alder, path));
        const response = await call({ apiKey: alder.seeded.apiKey }, method, url, bodyFor(operation));
        expectRefused(response, [403], 'contact_admin API key');
      });

    if (operation.sessionOnly)
      it("refuses the account's admin API key: the document allows sessions only (403, also before reading a malformed request)", async () => {
        const url = fillPath(path, idsFor(alder, path));
        const response = await call(callers.adminKey!, method, url, bodyFor(operation));
        expectRefused(response, [403], 'admin API key');
        const malformed = malformedRequest(operation, alder);
        const early = await call(callers.adminKey!, method, malformed.url, malformed.body);
        expectRefused(early, [403], 'admin API key, malformed request');
      });

    it("shows another account's owner and API key nothing of the account", async () => {
      const url = fillPath(path, idsFor(alder, path));
      for (const [who, caller] of [
        ['owner of B', callers.ownerB!],
        ['API key of B', { apiKey: birch.seeded.apiKey }],
      ] as const) {
        const response = await call(caller, method, url, bodyFor(operation, alderIdsIn));
        if (accountScoped) expectRefused(response, [403, 404], who);
        expectNothingOf(alder, response, `${operation.key} as ${who}`);
      }
    });

    if (accountScoped && otherIds.length > 0)
      it("finds none of A's items by their ids from B's own account (404)", async () => {
        for (const leadId of alder.leadIds) {
          const ids = idsFor(alder, path, { accountId: birch.ids.accountId!, leadId });
          const response = await call(callers.ownerB!, method, fillPath(path, ids), bodyFor(operation));
          expectRefused(response, [404], `B's owner with A's ids`);
          expectNothingOf(alder, response, `${operation.key} as B's owner with A's ids`);
        }
      });

    if (accountScoped && (operation.queryParams.length > 0 || operation.body))
      it("shows none of A's data to B through filters or ids in the body", async () => {
        const filters = new URLSearchParams({ accountId: alder.ids.accountId! });
        const byName: Record<string, string> = {
          formId: alder.items.forms!,
          email: alder.buyer.email,
          text: 'Buyerson',
          name: alder.buyer.name,
          q: 'alder',
          cursor: alder.ids.leadId!,
        };
        for (const name of operation.queryParams) if (byName[name]) filters.set(name, byName[name]);
        const url = `${fillPath(path, idsFor(birch, path))}?${filters.toString()}`;
        const response = await call(callers.ownerB!, method, url, bodyFor(operation, alderIdsIn));
        expectNothingOf(alder, response, `${operation.key} as B's owner with A's ids in filters and body`);
      });

    if (changesState(operation))
      it('refuses a session without its CSRF token, or with another session’s (403)', async () => {
        const url = fillPath(path, idsFor(alder, path));
        for (const csrf of ['', callers.ownerB!.csrf!]) {
          const response = await call(callers.owner!, method, url, bodyFor(operation), csrf);
          expectRefused(response, [403], `CSRF token "${csrf.slice(0, 6)}"`);
          expect(response.json().error.code).toBe('csrf_invalid');
        }
      });
  });
}

// Last, because letting the right roles through may change data (unknown ids keep A's items as they are).
describe('the roles each operation declares get through', () => {
  for (const operation of walked) {
    const { method, path, requiredRole } = operation;
    if (!requiredRole) continue;
    const keyMayCall = !operation.sessionOnly;
    for (const [who, role, label] of [
      ['member', 'member', 'a member'],
      ['contact_admin', 'contact_admin', 'a contact_admin'],
      ['admin', 'admin', 'an admin'],
      ['owner', 'owner', 'an owner'],
      ...(keyMayCall ? [['adminKey', 'admin', 'an admin API key'] as const] : []),
    ] as const) {
      if (!roleMayCall(role, requiredRole)) continue;
      it(`${operation.key} lets ${label} through`, async () => {
        const ids = changesState(operation) ? unknownIds(alder) : idsFor(alder, path);
        // A role in a body is the least one: only an owner may hand out the owner role (test/http/sign-out-and-owner-role.test.ts).
        const body = bodyFor(operation, (property) => (property === 'role' ? 'member' : undefined));
        const response = await call(callers[who]!, method, fillPath(path, ids), body);
        // Other refusals (a wrong current password, an unknown id) come after the role check passed.
        const code = response.statusCode < 300 ? undefined : response.json().error?.code;
        expect(['unauthenticated', 'forbidden', 'csrf_invalid'], `${who}: ${response.body}`).not.toContain(
          code,
        );
        expect(response.statusCode, response.body).toBeLessThan(changesState(operation) ? 500 : 300);
      });
    }
  }

  it("copies none of A's rules when B clones A's rule ids into its own second account", async () => {
    const response = await call(
      callers.ownerB!,
      'POST',
      `/api/v1/accounts/${birch.ids.accountId}/rules/clone`,
      {
        ruleIds: [alder.items.rules],
        targetAccountIds: [birchSecondAccount],
      },
    );
    expectNothingOf(alder, response, "B cloning A's rule");
    const copied = await call(callers.ownerB!, 'GET', `/api/v1/accounts/${birchSecondAccount}/rules`);
    expectNothingOf(alder, copied, "B's second account's rules");
    expect(copied.json().items).toEqual([]);
  });

  it("leaves A's items in place after the whole walk", async () => {
    const account = `/api/v1/accounts/${alder.ids.accountId}`;
    for (const [collection, id] of Object.entries(alder.items)) {
      const listed = (await asOwner(callers.owner!, 'GET', `${account}/${collection}`)).items;
      expect(listed.map((item: { id: string }) => item.id)).toContain(id);
    }
    const hooks = (await asOwner(callers.owner!, 'GET', `${account}/webhook-endpoints`)).items;
    expect(hooks.map((item: { id: string }) => item.id)).toContain(alder.ids.endpointId);
    const inbox = (await asOwner(callers.owner!, 'GET', `${account}/leads?view=inbox`)).items;
    expect(inbox.map((item: { id: string }) => item.id)).toContain(alder.ids.leadId);
  });

  it("refuses to take the account's last owner down to a lower role (409), and allows it once another owner exists", async () => {
    const members = `/api/v1/accounts/${alder.ids.accountId}/members`;
    const demote = { email: alder.seeded.email, role: 'member' };
    const refused = await call(callers.owner!, 'POST', members, demote);
    expectRefused(refused, [409], 'demoting the last owner');
    const owners = (await asOwner(callers.owner!, 'GET', members)).items.filter(
      (member: { role: string }) => member.role === 'owner',
    );
    expect(owners.map((member: { email: string }) => member.email)).toEqual([alder.seeded.email]);
    await asOwner(callers.owner!, 'POST', members, { email: 'admin@alder.example', role: 'owner' });
    await asOwner(callers.admin!, 'POST', members, demote);
  });
});
