// Sign-out ends the session on the server, only owners manage ownership, organization admins are not "removed" in
// name only: over the real server and store, on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountById } from '../../src/db/repositories/accounts.ts';
import { addMembership, addOrganizationAdmin, createApiKey, createUser } from '../../src/services/index.ts';
import { hasPostgres } from '../support/services.ts';
import { apiCaller } from './support/api-agent.ts';
import type { Agent } from './support/api-agent.ts';
import { startRealServer } from './support/real-server.ts';
import type { RealServer, SeededTenant } from './support/real-server.ts';

const postgresUp = await hasPostgres();
const password = 'correct horse battery';

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`sign-out and the owner role [${kind}]`, () => {
    let real: RealServer;
    let base: string;
    let dealer: SeededTenant;
    const agents: Record<'owner' | 'admin' | 'orgAdmin', Agent> = {} as never;
    const userIds: Record<string, string> = {};

    const api = apiCaller(() => base);
    const call = api.call;
    const signIn = (email: string) => api.signIn(email, password);

    async function addUser(email: string, role: 'owner' | 'admin' | 'contact_admin' | 'member') {
      const deps = { db: real.storage.db };
      const user = await createUser(deps, { email, password });
      await addMembership(deps, { userId: user.id, accountId: dealer.accountId, role });
      userIds[email] = user.id;
    }

    let membersPath = '';

    async function roleOf(email: string): Promise<string | undefined> {
      const members = await (await call(agents.owner, 'GET', membersPath)).json();
      return members.items.find((member: { email: string }) => member.email === email)?.role;
    }

    beforeAll(async () => {
      real = await startRealServer(kind);
      base = real.server.url;
      dealer = await real.seedTenant('Dealer');
      membersPath = `/api/v1/accounts/${dealer.accountId}/members`;
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
        // The page that finds itself signed out asks for a CSRF token and signs in with it, on the first try.
        const page: Agent = { cookie: `leadguard_session=${encodeURIComponent(legacy)}`, csrf: '' };
        const state = await (await call(page, 'GET', '/api/v1/session')).json();
        expect(state.authenticated).toBe(false);
        page.csrf = state.csrfToken;
        const login = await call(page, 'POST', '/api/v1/session', {
          email: 'member@dealer.example',
          password,
        });
        expect(login.status, await login.clone().text()).toBe(200);
        page.csrf = (await login.json()).csrfToken;
        expect((await call(page, 'GET', '/api/v1/me')).status).toBe(200);
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

    describe('the owner role', () => {
      it('refuses an admin who makes anyone an owner, themselves included (403), and changes nothing', async () => {
        for (const email of ['member@dealer.example', 'admin@dealer.example', 'newcomer@dealer.example']) {
          const response = await call(agents.admin, 'POST', membersPath, { email, role: 'owner', password });
          expect(response.status, email).toBe(403);
          const error = (await response.json()).error;
          expect(error.code).toBe('forbidden');
          expect(error.message).toContain('Only an owner');
        }
        expect(await roleOf('member@dealer.example')).toBe('member');
        expect(await roleOf('admin@dealer.example')).toBe('admin');
        expect(await roleOf('newcomer@dealer.example')).toBeUndefined();
      });

      it('refuses an admin who takes the owner role away, by a lower role or by removal (403)', async () => {
        const demoted = await call(agents.admin, 'POST', membersPath, {
          email: 'second-owner@dealer.example',
          role: 'admin',
        });
        expect(demoted.status).toBe(403);
        const removed = await call(
          agents.admin,
          'DELETE',
          `${membersPath}/${userIds['second-owner@dealer.example']}`,
        );
        expect(removed.status).toBe(403);
        expect(await roleOf('second-owner@dealer.example')).toBe('owner');
      });

      it('refuses an admin API key the owner role (403)', async () => {
        const key = await createApiKey(
          { db: real.storage.db },
          { accountId: dealer.accountId, name: 'admin key', role: 'admin' },
        );
        const response = await call(
          undefined,
          'POST',
          membersPath,
          { email: 'member@dealer.example', role: 'owner' },
          { apiKey: key.key },
        );
        expect(response.status).toBe(403);
        expect(await roleOf('member@dealer.example')).toBe('member');
      });

      it('lets an admin manage members who are not owners', async () => {
        const added = await call(agents.admin, 'POST', membersPath, {
          email: 'helper@dealer.example',
          role: 'member',
          password,
        });
        expect(added.status).toBe(200);
        const raised = await call(agents.admin, 'POST', membersPath, {
          email: 'helper@dealer.example',
          role: 'contact_admin',
        });
        expect(raised.status).toBe(200);
        expect(await roleOf('helper@dealer.example')).toBe('contact_admin');
        const { userId } = await raised.json();
        expect((await call(agents.admin, 'DELETE', `${membersPath}/${userId}`)).status).toBe(204);
        expect(await roleOf('helper@dealer.example')).toBeUndefined();
      });

      it('lets an owner make someone an owner and take it away again', async () => {
        const made = await call(agents.owner, 'POST', membersPath, {
          email: 'member@dealer.example',
          role: 'owner',
        });
        expect(made.status).toBe(200);
        expect(await roleOf('member@dealer.example')).toBe('owner');
        const undone = await call(agents.owner, 'POST', membersPath, {
          email: 'member@dealer.example',
          role: 'member',
        });
        expect(undone.status).toBe(200);
        expect(await roleOf('member@dealer.example')).toBe('member');
      });
    });

    describe('an organization admin on the team', () => {
      it('is not removed in name only: removal is refused (409) and their access stays as the team page shows it', async () => {
        const removed = await call(
          agents.owner,
          'DELETE',
          `${membersPath}/${userIds['group@dealer.example']}`,
        );
        expect(removed.status).toBe(409);
        expect((await removed.json()).error.message).toContain('administers the whole organization');
        expect(await roleOf('group@dealer.example')).toBe('admin');
        expect((await call(agents.orgAdmin, 'GET', membersPath)).status).toBe(200);
      });

      it('can be given a lower role on this account, which limits them here', async () => {
        const lowered = await call(agents.owner, 'POST', membersPath, {
          email: 'group@dealer.example',
          role: 'member',
        });
        expect(lowered.status).toBe(200);
        expect((await call(agents.orgAdmin, 'GET', membersPath)).status).toBe(403);
        expect(
          (await call(agents.orgAdmin, 'GET', `/api/v1/accounts/${dealer.accountId}/leads?view=inbox`))
            .status,
        ).toBe(200);
      });
    });
  });
}
