import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryServices } from './support/memory-services.ts';
import { buildTestApp } from './support/test-app.ts';

let app: FastifyInstance;
let services: MemoryServices;
let accountA: string;
let accountB: string;
let leadA: string;
let leadB: string;

interface Agent {
  cookie: string;
  csrf: string;
}

function cookieOf(response: LightMyRequestResponse, previous = ''): string {
  const raw = response.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const found = list.map((item) => item.split(';')[0]).find((item) => item?.startsWith('leadguard_session='));
  return found ?? previous;
}

async function signIn(email: string, password: string): Promise<Agent> {
  const first = await app.inject({ method: 'GET', url: '/api/v1/session' });
  let cookie = cookieOf(first);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    headers: { cookie, 'x-csrf-token': first.json().csrfToken },
    payload: { email, password },
  });
  expect(login.statusCode).toBe(200);
  cookie = cookieOf(login, cookie);
  return { cookie, csrf: login.json().csrfToken };
}

function as(agent: Agent, method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, payload?: object) {
  return app.inject({
    method,
    url,
    headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf },
    ...(payload ? { payload } : {}),
  });
}

beforeAll(async () => {
  ({ app, services } = await buildTestApp());
  accountA = services.addAccount('Dealer A');
  accountB = services.addAccount('Dealer B');
  await services.addUser('member@a.example', 'member-pass-1', { [accountA]: 'member' });
  await services.addUser('flagger@a.example', 'flagger-pass-1', { [accountA]: 'contact_admin' });
  await services.addUser('owner@b.example', 'owner-pass-1', { [accountB]: 'owner' });
  const formA = services.addForm(accountA);
  const formB = services.addForm(accountB);
  await app.inject({
    method: 'POST',
    url: `/api/v1/forms/${formA.formKey}/submissions`,
    payload: { email: 'lead@a.example', message: 'casino' },
  });
  leadA = services.leads.at(-1)?.id ?? '';
  await app.inject({
    method: 'POST',
    url: `/api/v1/forms/${formB.formKey}/submissions`,
    payload: { email: 'lead@b.example' },
  });
  leadB = services.leads.at(-1)?.id ?? '';
});
afterAll(() => app.close());

describe('session', () => {
  it('signs in with a CSRF token and lists the user’s accounts', async () => {
    const agent = await signIn('member@a.example', 'member-pass-1');
    const me = await as(agent, 'GET', '/api/v1/me');
    expect(me.json().accounts).toEqual([{ id: accountA, name: 'Dealer A', role: 'member' }]);
    const accounts = await as(agent, 'GET', '/api/v1/accounts');
    expect(accounts.json().items).toHaveLength(1);
  });

  it('refuses a wrong password with 401 and a sign-in without CSRF token with 403', async () => {
    const first = await app.inject({ method: 'GET', url: '/api/v1/session' });
    const cookie = cookieOf(first);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie, 'x-csrf-token': first.json().csrfToken },
      payload: { email: 'member@a.example', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    const noToken = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie },
      payload: { email: 'member@a.example', password: 'member-pass-1' },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf_invalid');
  });

  it('refuses state changes by session without the CSRF token', async () => {
    const agent = await signIn('flagger@a.example', 'flagger-pass-1');
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${accountA}/leads/${leadA}/mark-spam`,
      headers: { cookie: agent.cookie },
      payload: {},
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_invalid');
  });

  it('signs out', async () => {
    const agent = await signIn('member@a.example', 'member-pass-1');
    expect((await as(agent, 'DELETE', '/api/v1/session')).statusCode).toBe(204);
  });

  it('answers 401 without a session or key', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/accounts/${accountA}/leads` });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });
});

describe('roles and tenants', () => {
  it('lets a member read leads but not flag them', async () => {
    const member = await signIn('member@a.example', 'member-pass-1');
    const list = await as(member, 'GET', `/api/v1/accounts/${accountA}/leads?view=quarantine`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((item: { id: string }) => item.id)).toContain(leadA);
    const flag = await as(member, 'POST', `/api/v1/accounts/${accountA}/leads/${leadA}/mark-not-spam`, {});
    expect(flag.statusCode).toBe(403);
    expect(flag.json().error.code).toBe('forbidden');
  });

  it('lets a contact admin release a quarantined lead into the inbox', async () => {
    const flagger = await signIn('flagger@a.example', 'flagger-pass-1');
    expect((await as(flagger, 'GET', `/api/v1/accounts/${accountA}/quarantine/count`)).json().count).toBe(1);
    const release = await as(
      flagger,
      'POST',
      `/api/v1/accounts/${accountA}/leads/${leadA}/mark-not-spam`,
      {},
    );
    expect(release.statusCode).toBe(200);
    const inbox = await as(flagger, 'GET', `/api/v1/accounts/${accountA}/leads?view=inbox`);
    expect(inbox.json().items.map((item: { id: string }) => item.id)).toContain(leadA);
    expect((await as(flagger, 'GET', `/api/v1/accounts/${accountA}/quarantine/count`)).json().count).toBe(0);
  });

  it('answers 404 for another tenant’s account and lead ids', async () => {
    const flagger = await signIn('flagger@a.example', 'flagger-pass-1');
    expect((await as(flagger, 'GET', `/api/v1/accounts/${accountB}/leads`)).statusCode).toBe(404);
    expect((await as(flagger, 'GET', `/api/v1/accounts/${accountA}/leads/${leadB}`)).statusCode).toBe(404);
    expect(
      (await as(flagger, 'POST', `/api/v1/accounts/${accountA}/leads/${leadB}/mark-spam`, {})).statusCode,
    ).toBe(404);
    expect(
      (await as(flagger, 'POST', `/api/v1/accounts/${accountB}/leads/${leadB}/mark-spam`, {})).statusCode,
    ).toBe(404);
    expect(services.leads.find((lead) => lead.id === leadB)?.status).toBe('active');
  });

  it('keeps rule editing to contact admins and validates rule bodies', async () => {
    const member = await signIn('member@a.example', 'member-pass-1');
    const flagger = await signIn('flagger@a.example', 'flagger-pass-1');
    const rule = { action: 'block', dimension: 'domain', value: 'spam.example' };
    expect((await as(member, 'POST', `/api/v1/accounts/${accountA}/rules`, rule)).statusCode).toBe(403);
    const created = await as(flagger, 'POST', `/api/v1/accounts/${accountA}/rules`, rule);
    expect(created.statusCode).toBe(201);
    const bad = await as(flagger, 'POST', `/api/v1/accounts/${accountA}/rules`, {
      action: 'explode',
      dimension: 'domain',
      value: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(
      expect.arrayContaining(['action', 'value']),
    );
    const owner = await signIn('owner@b.example', 'owner-pass-1');
    expect(
      (await as(owner, 'DELETE', `/api/v1/accounts/${accountB}/rules/${created.json().id}`)).statusCode,
    ).toBe(404);
    expect((await as(flagger, 'GET', `/api/v1/accounts/${accountA}/rules`)).json().items).toHaveLength(1);
  });
});

describe('API keys', () => {
  it('authenticates with Bearer or X-Api-Key without CSRF, within its own account only', async () => {
    const key = services.addApiKey(accountA, 'contact_admin');
    const bearer = await app.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/leads`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(bearer.statusCode).toBe(200);
    const header = await app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${accountA}/leads/${leadA}/mark-spam`,
      headers: { 'x-api-key': key },
      payload: {},
    });
    expect(header.statusCode).toBe(200);
    expect(services.leads.find((lead) => lead.id === leadA)?.history.at(-1)).toEqual({
      type: 'marked_spam',
      via: 'api',
    });
    const other = await app.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountB}/leads`,
      headers: { 'x-api-key': key },
    });
    expect(other.statusCode).toBe(404);
  });

  it('refuses an unknown key with 401', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/leads`,
      headers: { authorization: 'Bearer lg_wrong' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('invalid_api_key');
  });
});

describe('login rate limit', () => {
  it('answers 429 after ten sign-in attempts a minute from one IP', async () => {
    const limited = await buildTestApp();
    try {
      const first = await limited.app.inject({ method: 'GET', url: '/api/v1/session' });
      const cookie = cookieOf(first);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          headers: { cookie, 'x-csrf-token': first.json().csrfToken },
          payload: { email: 'x@example.com', password: 'guess' },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await limited.app.close();
    }
  });
});
