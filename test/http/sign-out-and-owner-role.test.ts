// Sign-out ends the session on the server, only owners manage ownership, organization admins are not "removed" in
// name only: over the real server and store, on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountById } from '../../src/db/repositories/accounts.ts';
import { addMembership, addOrganizationAdmin, createUser } from '../../src/services/index.ts';
import { hasPostgres } from '../support/services.ts';
import { startRealServer } from './support/real-server.ts';
import type { RealServer, SeededTenant } from './support/real-server.ts';

const postgresUp = await hasPostgres();
const password = 'correct horse battery';

interface Agent {
  cookie: string;
  csrf: string;
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`sign-out and the owner role [${kind}]`, () => {
    let real: RealServer;
    let base: string;
    let dealer: SeededTenant;
    const agents: Record<'owner' | 'admin' | 'orgAdmin', Agent> = {} as never;
    const userIds: Record<string, string> = {};

    /** Sends one request as the agent (cookie and CSRF token unless told otherwise), keeping a renewed cookie. */
    async function call(
      agent: Agent | undefined,
      method: string,
      path: string,
      body?: unknown,
      options: { apiKey?: string } = {},
    ): Promise<Response> {
      const headers: Record<string, string> = {};
      if (agent) {
        headers.cookie = agent.cookie;
        headers['x-csrf-token'] = agent.csrf;
      }
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const set = response.headers.getSetCookie().find((item) => item.startsWith('leadguard_session='));
      if (set && agent) agent.cookie = set.split(';')[0] ?? '';
      return response;
    }

    async function signIn(email: string): Promise<Agent> {
      const agent: Agent = { cookie: '', csrf: '' };
      agent.csrf = (await (await call(agent, 'GET', '/api/v1/session')).json()).csrfToken;
      const login = await call(agent, 'POST', '/api/v1/session', { email, password });
      expect(login.status).toBe(200);
      agent.csrf = (await login.json()).csrfToken;
      return agent;
    }

    async function addUser(email: string, role: 'owner' | 'admin' | 'contact_admin' | 'member') {
      const deps = { db: real.storage.db };
      const user = await createUser(deps, { email, password });
      await addMembership(deps, { userId: user.id, accountId: dealer.accountId, role });
      userIds[email] = user.id;
    }

    beforeAll(async () => {
      real = await startRealServer(kind);
      base = real.server.url;
      dealer = await real.seedTenant('Dealer');
      await addUser('admin@dealer.example', 'admin');
      await addUser('member@dealer.example', 'member');
      await addUser('second-owner@dealer.example', 'owner');
      // The group's administrator: admin of every account of the organization, and a member of this one's team.
      await addUser('group@dealer.example', 'admin');
      const account = await findAccountById(real.storage.db, dealer.accountId);
      await addOrganizationAdmin(
        { db: real.storage.db },
        { userId: userIds['group@dealer.example']!, organizationId: account!.organization_id },
      );
      // The login limit is 10 a minute per address: the tests sign in six times in all.
      agents.owner = await signIn(dealer.email);
      agents.admin = await signIn('admin@dealer.example');
      agents.orgAdmin = await signIn('group@dealer.example');
    }, 60_000);
    afterAll(() => real?.stop());

    describe('sign-out', () => {
      it("ends the session on the server: a copy of its cookie stops working, the user's other session goes on", async () => {
        const laptop = await signIn('member@dealer.example');
        const phone = await signIn('member@dealer.example');
        // A copy of the cookie as it was before sign-out (a fresh agent each time: answers may clear a cookie).
        const copied = laptop.cookie;
        const copy = (): Agent => ({ cookie: copied, csrf: laptop.csrf });
        expect((await call(copy(), 'GET', '/api/v1/me')).status).toBe(200);

        const signedOut = await call(laptop, 'DELETE', '/api/v1/session');
        expect(signedOut.status).toBe(204);
        expect(laptop.cookie, 'the browser is told to drop the cookie').toBe('leadguard_session=');

        const refused = await call(copy(), 'GET', '/api/v1/me');
        expect(refused.status).toBe(401);
        expect((await refused.json()).error.code).toBe('unauthenticated');
        expect((await (await call(copy(), 'GET', '/api/v1/session')).json()).authenticated).toBe(false);
        expect((await call(copy(), 'DELETE', '/api/v1/session')).status).toBe(401);

        const other = await call(phone, 'GET', '/api/v1/me');
        expect(other.status).toBe(200);
        expect((await other.json()).user.email).toBe('member@dealer.example');
        expect(
          (await call(phone, 'GET', `/api/v1/accounts/${dealer.accountId}/leads?view=inbox`)).status,
        ).toBe(200);
      });

      it('refuses a cookie from before sessions had their own id, which no sign-out could end', async () => {
        const app = real.server.app;
        const legacy = app.encodeSecureSession(
          app.createSecureSession({ userId: userIds['member@dealer.example'], version: 0 }),
        );
        const agent: Agent = { cookie: `leadguard_session=${encodeURIComponent(legacy)}`, csrf: '' };
        expect((await call(agent, 'GET', '/api/v1/me')).status).toBe(401);
      });

      it('keeps a signed-out session on record only until its cookie would have expired anyway', async () => {
        const db = real.storage.db;
        const lapsed = '00000000-0000-4000-8000-000000000001';
        await db.query('INSERT INTO ended_sessions (id, expires_at) VALUES ($1, $2)', [
          lapsed,
          new Date(Date.now() - 60_000),
        ]);
        const agent = await signIn('second-owner@dealer.example');
        expect((await call(agent, 'DELETE', '/api/v1/session')).status).toBe(204);
        const rows = await db.query<{ id: string; expires_at: Date }>(
          'SELECT id, expires_at FROM ended_sessions',
        );
        expect(rows.map((row) => row.id)).not.toContain(lapsed);
        const week = 7 * 24 * 3600_000;
        for (const row of rows) {
          const left = new Date(row.expires_at).getTime() - Date.now();
          expect(left).toBeGreaterThan(week - 600_000);
          expect(left).toBeLessThanOrEqual(week);
        }
      });
    });
  });
}
