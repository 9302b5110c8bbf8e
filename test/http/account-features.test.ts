// Account features over the real server and store: password change, API keys, member removal, /me organizations, with role, tenant and CSRF refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMembership, createUser } from '../../src/services/index.ts';
import { hasPostgres } from '../support/services.ts';
import { apiCaller } from './support/api-agent.ts';
import type { Agent } from './support/api-agent.ts';
import { startRealServer } from './support/real-server.ts';
import type { RealServer, SeededTenant } from './support/real-server.ts';

const postgresUp = await hasPostgres();
const password = 'correct horse battery';

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`account features [${kind}]`, () => {
    let real: RealServer;
    let base: string;
    let dealer: SeededTenant;
    let other: SeededTenant;
    const agents: Record<'owner' | 'admin' | 'flagger' | 'member' | 'otherOwner', Agent> = {} as never;
    const userIds: Record<string, string> = {};

    const api = apiCaller(() => base);
    const call = api.call;
    const signIn = (email: string, secret = password) => api.signIn(email, secret);

    async function addUser(email: string, accountId: string, role: 'admin' | 'contact_admin' | 'member') {
      const deps = { db: real.storage.db };
      const user = await createUser(deps, { email, password });
      await addMembership(deps, { userId: user.id, accountId, role });
      userIds[email] = user.id;
    }

    const scoped = (rest: string) => `/api/v1/accounts/${dealer.accountId}${rest}`;

    beforeAll(async () => {
      real = await startRealServer(kind);
      base = real.server.url;
      dealer = await real.seedTenant('Dealer');
      other = await real.seedTenant('Other');
      await addUser('admin@dealer.example', dealer.accountId, 'admin');
      await addUser('flagger@dealer.example', dealer.accountId, 'contact_admin');
      await addUser('member@dealer.example', dealer.accountId, 'member');
      // The login limit is 10 a minute per address: each test signs in as few times as it can.
      agents.owner = await signIn(dealer.email);
      agents.admin = await signIn('admin@dealer.example');
      agents.flagger = await signIn('flagger@dealer.example');
      agents.member = await signIn('member@dealer.example');
      agents.otherOwner = await signIn(other.email);
    }, 60_000);
    afterAll(() => real?.stop());

    describe('OpenAPI', () => {
      it('describes the account routes with their bodies, answers and session-only security', async () => {
        const spec = await (await fetch(`${base}/api/v1/openapi.json`)).json();
        const keys = spec.paths['/api/v1/accounts/{accountId}/api-keys'];
        expect(keys.post.requestBody.content['application/json'].schema.required).toEqual(['name', 'role']);
        expect(keys.post.responses['201']).toBeDefined();
        expect(keys.get.security).toEqual([{ session: [] }]);
        expect(
          spec.paths['/api/v1/accounts/{accountId}/api-keys/{keyId}'].delete.responses['204'],
        ).toBeDefined();
        expect(spec.paths['/api/v1/accounts/{accountId}/members/{userId}'].delete).toBeDefined();
        const password = spec.paths['/api/v1/me/password'].post;
        expect(password.requestBody.content['application/json'].schema.properties.newPassword.minLength).toBe(
          12,
        );
        expect(password.security).toEqual([{ session: [] }]);
      });
    });

    describe('/me', () => {
      it('carries the organization and each account’s organization id', async () => {
        const me = await (await call(agents.owner, 'GET', '/api/v1/me')).json();
        expect(me.organizations).toEqual([{ id: expect.any(String), name: 'Dealer group' }]);
        expect(me.accounts).toEqual([
          { id: dealer.accountId, name: 'Dealer', role: 'owner', organizationId: me.organizations[0].id },
        ]);
        const theirs = await (await call(agents.otherOwner, 'GET', '/api/v1/me')).json();
        expect(theirs.accounts[0].organizationId).not.toBe(me.organizations[0].id);
      });
    });

    describe('API keys', () => {
      it('lets an owner create a key shown once, list it without the key, and revoke it', async () => {
        const created = await call(agents.owner, 'POST', scoped('/api-keys'), {
          name: 'CRM sync',
          role: 'contact_admin',
        });
        expect(created.status).toBe(201);
        const key = await created.json();
        expect(key.key).toMatch(/^lg_/);
        expect(key.key.startsWith(key.prefix)).toBe(true);
        expect(key.name).toBe('CRM sync');

        const works = await call(undefined, 'GET', scoped('/leads?view=inbox'), undefined, {
          apiKey: key.key,
        });
        expect(works.status).toBe(200);

        const listed = await (await call(agents.owner, 'GET', scoped('/api-keys'))).json();
        const row = listed.items.find((item: { id: string }) => item.id === key.id);
        expect(row).toMatchObject({ name: 'CRM sync', prefix: key.prefix, role: 'contact_admin' });
        expect(Date.parse(row.createdAt)).not.toBeNaN();
        expect(Date.parse(row.lastUsedAt)).not.toBeNaN();
        expect(JSON.stringify(listed)).not.toContain(key.key);

        expect((await call(agents.admin, 'DELETE', scoped(`/api-keys/${key.id}`))).status).toBe(204);
        const refused = await call(undefined, 'GET', scoped('/leads?view=inbox'), undefined, {
          apiKey: key.key,
        });
        expect(refused.status).toBe(401);
        const after = await (await call(agents.owner, 'GET', scoped('/api-keys'))).json();
        expect(after.items.map((item: { id: string }) => item.id)).not.toContain(key.id);
        expect((await call(agents.owner, 'DELETE', scoped(`/api-keys/${key.id}`))).status).toBe(404);
      });

      it('refuses members and contact admins (403), another account’s owner (404) and no session (401)', async () => {
        for (const agent of [agents.member, agents.flagger]) {
          expect((await call(agent, 'GET', scoped('/api-keys'))).status).toBe(403);
          expect((await call(agent, 'POST', scoped('/api-keys'), { name: 'x', role: 'member' })).status).toBe(
            403,
          );
        }
        expect((await call(agents.otherOwner, 'GET', scoped('/api-keys'))).status).toBe(404);
        expect(
          (await call(agents.otherOwner, 'POST', scoped('/api-keys'), { name: 'x', role: 'member' })).status,
        ).toBe(404);
        expect((await call(undefined, 'GET', scoped('/api-keys'))).status).toBe(401);
        expect(
          (await call(undefined, 'POST', scoped('/api-keys'), { name: 'x', role: 'member' })).status,
        ).toBe(401);
      });

      it('refuses a key managing keys, a missing CSRF token, an owner key, and another account’s key id', async () => {
        const admin = await (
          await call(agents.owner, 'POST', scoped('/api-keys'), { name: 'Admin key', role: 'admin' })
        ).json();
        const byKey = await call(
          undefined,
          'POST',
          scoped('/api-keys'),
          { name: 'x', role: 'member' },
          {
            apiKey: admin.key,
          },
        );
        expect(byKey.status).toBe(403);
        expect((await byKey.json()).error.message).toContain('Sign in');
        const noCsrf = await call(
          agents.owner,
          'POST',
          scoped('/api-keys'),
          { name: 'x', role: 'member' },
          {
            csrf: false,
          },
        );
        expect(noCsrf.status).toBe(403);
        expect((await noCsrf.json()).error.code).toBe('csrf_invalid');
        expect(
          (await call(agents.owner, 'DELETE', scoped(`/api-keys/${admin.id}`), undefined, { csrf: false }))
            .status,
        ).toBe(403);
        const owner = await call(agents.owner, 'POST', scoped('/api-keys'), { name: 'x', role: 'owner' });
        expect(owner.status).toBe(400);
        const blank = await call(agents.owner, 'POST', scoped('/api-keys'), { name: '  ', role: 'member' });
        expect(blank.status).toBe(400);

        const theirs = await (
          await call(agents.otherOwner, 'POST', `/api/v1/accounts/${other.accountId}/api-keys`, {
            name: 'Theirs',
            role: 'member',
          })
        ).json();
        expect((await call(agents.owner, 'DELETE', scoped(`/api-keys/${theirs.id}`))).status).toBe(404);
        expect((await call(agents.owner, 'DELETE', scoped('/api-keys/not-a-uuid'))).status).toBe(404);
        const stillWorks = await call(
          undefined,
          'GET',
          `/api/v1/accounts/${other.accountId}/leads?view=inbox`,
          undefined,
          { apiKey: theirs.key },
        );
        expect(stillWorks.status).toBe(200);
      });
    });

    describe('member removal', () => {
      it('refuses members and contact admins (403), another account’s owner (404), no session (401), no CSRF (403)', async () => {
        const target = scoped(`/members/${userIds['member@dealer.example']}`);
        expect((await call(agents.member, 'DELETE', target)).status).toBe(403);
        expect((await call(agents.flagger, 'DELETE', target)).status).toBe(403);
        expect((await call(agents.otherOwner, 'DELETE', target)).status).toBe(404);
        expect((await call(undefined, 'DELETE', target)).status).toBe(401);
        expect((await call(agents.owner, 'DELETE', target, undefined, { csrf: false })).status).toBe(403);
        expect((await call(agents.member, 'GET', scoped('/leads?view=inbox'))).status).toBe(200);
      });

      it('removes a member, whose open session then loses the account', async () => {
        const removed = await call(
          agents.admin,
          'DELETE',
          scoped(`/members/${userIds['member@dealer.example']}`),
        );
        expect(removed.status).toBe(204);
        expect((await call(agents.member, 'GET', scoped('/leads?view=inbox'))).status).toBe(404);
        expect((await (await call(agents.member, 'GET', '/api/v1/me')).json()).accounts).toEqual([]);
        const members = await (await call(agents.owner, 'GET', scoped('/members'))).json();
        expect(members.items.map((m: { email: string }) => m.email)).not.toContain('member@dealer.example');
        expect(
          (await call(agents.admin, 'DELETE', scoped(`/members/${userIds['member@dealer.example']}`))).status,
        ).toBe(404);
      });

      it('never removes the last owner, and removes an owner once another exists', async () => {
        const me = await (await call(agents.owner, 'GET', '/api/v1/me')).json();
        // The owner themselves: an admin may not remove an owner at all (test/http/sign-out-and-owner-role.test.ts).
        const last = await call(agents.owner, 'DELETE', scoped(`/members/${me.user.id}`));
        expect(last.status).toBe(409);
        expect((await last.json()).error.message).toContain('last owner');
        const promoted = await call(agents.owner, 'POST', scoped('/members'), {
          email: 'admin@dealer.example',
          role: 'owner',
        });
        expect(promoted.status).toBe(200);
        expect((await call(agents.owner, 'DELETE', scoped(`/members/${me.user.id}`))).status).toBe(204);
        expect((await call(agents.owner, 'GET', scoped('/members'))).status).toBe(404);
        // Put the first owner back for the tests that follow.
        await addMembership(
          { db: real.storage.db },
          { userId: me.user.id, accountId: dealer.accountId, role: 'owner' },
        );
      });
    });

    describe('password change', () => {
      const change = (
        agent: Agent | undefined,
        body: object,
        options?: { csrf?: boolean; apiKey?: string },
      ) => call(agent, 'POST', '/api/v1/me/password', body, options);
      const newPassword = 'a brand new passphrase';

      it('refuses no session (401), no CSRF (403), an API key (403), a wrong current password and a short one', async () => {
        const body = { currentPassword: password, newPassword };
        expect((await change(undefined, body)).status).toBe(401);
        const noCsrf = await change(agents.flagger, body, { csrf: false });
        expect(noCsrf.status).toBe(403);
        expect((await change(undefined, body, { apiKey: dealer.apiKey })).status).toBe(403);
        const wrong = await change(agents.flagger, { currentPassword: 'not it', newPassword });
        expect(wrong.status).toBe(401);
        expect((await wrong.json()).error.message).toBe('The current password is wrong.');
        const short = await change(agents.flagger, { currentPassword: password, newPassword: 'short' });
        expect(short.status).toBe(400);
        expect(JSON.stringify(await short.json())).toContain('at least 12 characters');
        // Nothing changed: the session still works.
        expect((await call(agents.flagger, 'GET', '/api/v1/me')).status).toBe(200);
      });

      it('changes the password, keeps this session and signs out the user’s other sessions', async () => {
        const elsewhere = await signIn('flagger@dealer.example');
        const changed = await change(agents.flagger, { currentPassword: password, newPassword });
        expect(changed.status).toBe(200);
        agents.flagger.csrf = (await changed.json()).csrfToken;

        expect((await call(agents.flagger, 'GET', '/api/v1/me')).status).toBe(200);
        expect(
          (await call(agents.flagger, 'POST', scoped('/try'), { kind: 'keyword', phrase: 'x' })).status,
        ).toBe(200);
        const stale = await call(elsewhere, 'GET', '/api/v1/me');
        expect(stale.status).toBe(401);
        expect((await (await call(elsewhere, 'GET', '/api/v1/session')).json()).authenticated).toBe(false);

        const visitor: Agent = { cookie: '', csrf: '' };
        visitor.csrf = (await (await call(visitor, 'GET', '/api/v1/session')).json()).csrfToken;
        const old = await call(visitor, 'POST', '/api/v1/session', {
          email: 'flagger@dealer.example',
          password,
        });
        expect(old.status).toBe(401);
        expect((await signIn('flagger@dealer.example', newPassword)).cookie).not.toBe('');
      });
    });
  });
}
