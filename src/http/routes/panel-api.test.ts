// The panel's own routes: setup once with CSRF, role checks on try/clone/members, validation, and 503 when a service is not wired.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryServices } from '../../../test/http/support/memory-services.ts';
import { buildTestApp } from '../../../test/http/support/test-app.ts';
import type { CloneRulesInput, PanelServices, TryInput } from './panel-services.ts';

interface Agent {
  cookie: string;
  csrf: string;
}

let app: FastifyInstance;
let services: MemoryServices & Partial<PanelServices>;
let accountA: string;
let accountB: string;
const calls: { name: string; args: unknown[] }[] = [];

function cookieOf(response: LightMyRequestResponse, previous = ''): string {
  const raw = response.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return (
    list.map((item) => item.split(';')[0]).find((item) => item?.startsWith('leadguard_session=')) ?? previous
  );
}

async function anonymous(): Promise<Agent> {
  const first = await app.inject({ method: 'GET', url: '/api/v1/session' });
  return { cookie: cookieOf(first), csrf: first.json().csrfToken };
}

async function signIn(email: string, password: string): Promise<Agent> {
  const agent = await anonymous();
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf },
    payload: { email, password },
  });
  expect(login.statusCode).toBe(200);
  return { cookie: cookieOf(login, agent.cookie), csrf: login.json().csrfToken };
}

function as(agent: Agent, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
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
  await services.addUser('owner@a.example', 'owner-pass-123', { [accountA]: 'owner', [accountB]: 'member' });
  await services.addUser('flagger@a.example', 'flagger-pass-1', { [accountA]: 'contact_admin' });
  await services.addUser('member@a.example', 'member-pass-1', { [accountA]: 'member' });
});
afterAll(() => app.close());

describe('first-run setup', () => {
  it('answers 503 with a clear message while no setup service is wired', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/setup' });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.message).toContain('needsSetup');
  });

  it('creates the first owner once, only with the CSRF token, and signs them in', async () => {
    let done = false;
    services.needsSetup = async () => !done;
    services.createFirstOwner = async (input) => {
      calls.push({ name: 'createFirstOwner', args: [input] });
      if (done) return undefined;
      done = true;
      const accountId = services.addAccount(input.accountName);
      return { userId: await services.addUser(input.email, input.password, { [accountId]: 'owner' }) };
    };
    const body = {
      organizationName: 'Group',
      accountName: 'First Motors',
      siteDomain: 'first-motors.example',
      name: 'Fay',
      email: 'Fay@First-Motors.example',
      password: 'a long enough password',
    };
    expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true });
    const visitor = await anonymous();
    const noToken = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      headers: { cookie: visitor.cookie },
      payload: body,
    });
    expect(noToken.statusCode).toBe(403);
    expect(calls).toHaveLength(0);

    const created = await as(visitor, 'POST', '/api/v1/setup', body);
    expect(created.statusCode).toBe(200);
    expect(calls[0]?.args[0]).toMatchObject({ email: 'fay@first-motors.example' });
    const owner = { cookie: cookieOf(created, visitor.cookie), csrf: created.json().csrfToken };
    expect((await as(owner, 'GET', '/api/v1/me')).json().user.email).toBe('fay@first-motors.example');

    const again = await as(await anonymous(), 'POST', '/api/v1/setup', body);
    expect(again.statusCode).toBe(409);
    expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: false });
  });

  it('refuses a short password and a malformed email with 400', async () => {
    const visitor = await anonymous();
    const response = await as(visitor, 'POST', '/api/v1/setup', {
      organizationName: 'G',
      accountName: 'A',
      siteDomain: 'a.example',
      name: 'N',
      email: 'not-an-email',
      password: 'short',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });
});

describe('try before you save', () => {
  it('lets a contact admin try a rule on the last 30 days and refuses a member', async () => {
    services.tryRule = async (accountId, input, since) => {
      calls.push({ name: 'tryRule', args: [accountId, input, since] });
      return { caught: 3, active: 1, activeLeads: [{ id: 'lead-1' }] };
    };
    const flagger = await signIn('flagger@a.example', 'flagger-pass-1');
    const input: TryInput = { kind: 'rule', action: 'block', dimension: 'domain', value: 'spam.example' };
    const response = await as(flagger, 'POST', `/api/v1/accounts/${accountA}/try`, input);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ caught: 3, active: 1, activeLeads: [{ id: 'lead-1' }] });
    const since = calls.at(-1)?.args[2] as Date;
    const days = (Date.now() - since.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    const member = await signIn('member@a.example', 'member-pass-1');
    expect((await as(member, 'POST', `/api/v1/accounts/${accountA}/try`, input)).statusCode).toBe(403);
  });

  it('refuses a rule without a dimension with 400', async () => {
    const flagger = await signIn('flagger@a.example', 'flagger-pass-1');
    const response = await as(flagger, 'POST', `/api/v1/accounts/${accountA}/try`, {
      kind: 'rule',
      action: 'block',
      value: 'x',
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('clone rules', () => {
  it('refuses a target account where the user may not manage rules, before cloning anything', async () => {
    const cloned: CloneRulesInput[] = [];
    services.cloneRules = async (_accountId, input) => {
      cloned.push(input);
      return { created: 1, skipped: 0, segmentsCreated: 0, perAccount: [] };
    };
    const owner = await signIn('owner@a.example', 'owner-pass-123');
    const refused = await as(owner, 'POST', `/api/v1/accounts/${accountA}/rules/clone`, {
      ruleIds: 'all',
      targetAccountIds: [accountB],
    });
    expect(refused.statusCode).toBe(403);
    const self = await as(owner, 'POST', `/api/v1/accounts/${accountA}/rules/clone`, {
      ruleIds: ['r1'],
      targetAccountIds: [accountA],
    });
    expect(self.statusCode).toBe(400);
    expect(cloned).toEqual([]);
  });

  it('clones when the user manages rules in every target', async () => {
    const owner = await signIn('owner@a.example', 'owner-pass-123');
    const accountC = services.addAccount('Dealer C');
    const user = [...services.users.values()].find((u) => u.email === 'owner@a.example');
    user?.memberships.set(accountC, 'admin');
    const response = await as(owner, 'POST', `/api/v1/accounts/${accountA}/rules/clone`, {
      ruleIds: 'all',
      targetAccountIds: [accountC],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ created: 1, skipped: 0 });
  });
});

describe('members, allowlist-only and checks', () => {
  it('lists members for owners only', async () => {
    services.listMembers = async () => [{ userId: 'u1', email: 'owner@a.example', role: 'owner' }];
    const owner = await signIn('owner@a.example', 'owner-pass-123');
    expect((await as(owner, 'GET', `/api/v1/accounts/${accountA}/members`)).json().items).toHaveLength(1);
    const flagger = await signIn('flagger@a.example', 'flagger-pass-1');
    expect((await as(flagger, 'GET', `/api/v1/accounts/${accountA}/members`)).statusCode).toBe(403);
  });

  it('stores allowlist-only dimensions once each and rejects unknown ones', async () => {
    let stored: readonly string[] = [];
    services.getAllowlistOnly = async () => stored as never;
    services.setAllowlistOnly = async (_accountId, dimensions) => {
      stored = dimensions;
    };
    const flagger = await signIn('flagger@a.example', 'flagger-pass-1');
    const url = `/api/v1/accounts/${accountA}/allowlist-only`;
    expect((await as(flagger, 'PUT', url, { dimensions: ['email', 'email', 'phone'] })).json()).toEqual({
      dimensions: ['email', 'phone'],
    });
    expect((await as(flagger, 'GET', url)).json()).toEqual({ dimensions: ['email', 'phone'] });
    expect((await as(flagger, 'PUT', url, { dimensions: ['shoe_size'] })).statusCode).toBe(400);
  });

  it('lists the registered checks for the forms page', async () => {
    const member = await signIn('member@a.example', 'member-pass-1');
    const names = (await as(member, 'GET', '/api/v1/checks'))
      .json()
      .items.map((c: { name: string }) => c.name);
    expect(names).toContain('honeypot');
    expect(names).toContain('keywords');
  });
});
