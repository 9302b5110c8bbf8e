// Panel routes for people and accounts: first-run setup, the account's members and roles, a new account in the organization.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { actorOf, assertAllowed, requireAuth, requires, startSession } from '../plugins/auth.ts';
import { needService } from './panel-services.ts';
import type { MaybePanelServices } from './panel-services.ts';

const accountParams = z.object({ accountId: z.string().min(1).max(100) });
const text = (max: number) => z.string().trim().min(1).max(max);

/** The one password rule of the panel: first-run setup, new members and password changes. */
export const newPassword = z.string().min(12, 'at least 12 characters').max(1000);

const setupBody = z.object({
  organizationName: text(200),
  accountName: text(200),
  siteDomain: text(253),
  name: text(200),
  email: z.email().max(320),
  password: newPassword,
});
const roles = ['owner', 'admin', 'contact_admin', 'member'] as const;
const memberAnswer = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().optional(),
  role: z.enum(roles),
});
const memberBody = z.object({
  email: z.email().max(320),
  name: z.string().trim().max(200).optional(),
  password: newPassword.optional(),
  role: z.enum(roles),
});
const siblingBody = z.object({ name: text(200), siteDomain: text(253) });
const sessionAnswer = z.object({ authenticated: z.boolean(), csrfToken: z.string() });

export async function registerPanelTeamRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);
  const services = deps.services as MaybePanelServices;

  typed.get(
    '/api/v1/setup',
    {
      schema: {
        tags: ['setup'],
        summary: 'Whether first-run setup is still open',
        response: { 200: z.object({ needsSetup: z.boolean() }) },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
      return { needsSetup: await needService(services, 'needsSetup')() };
    },
  );

  typed.post(
    '/api/v1/setup',
    {
      // The page got its token from GET /api/v1/session; a cross-site page cannot claim a fresh install.
      preHandler: (request, reply, done) => app.csrfProtection(request, reply, done),
      schema: {
        tags: ['setup'],
        summary: 'First run: create the organization, its first account and the owner, and sign the owner in',
        body: setupBody,
        response: { 200: sessionAnswer },
      },
    },
    async (request, reply) => {
      const created = await needService(
        services,
        'createFirstOwner',
      )({ ...request.body, email: request.body.email.toLowerCase() });
      if (!created) throw new HttpError('conflict', 'Setup is already done. Sign in instead.');
      startSession(request, created.userId, 0);
      void reply.header('cache-control', 'no-store');
      return { authenticated: true, csrfToken: reply.generateCsrf() };
    },
  );

  typed.get(
    '/api/v1/accounts/:accountId/members',
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['users'],
        summary: 'Users of the account and their roles',
        params: accountParams,
        response: { 200: z.object({ items: z.array(memberAnswer) }) },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      return { items: [...(await needService(services, 'listMembers')(request.params.accountId))] };
    },
  );

  typed.post(
    '/api/v1/accounts/:accountId/members',
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['users'],
        summary:
          "Add a user to the account with a role (creating the user when new), or change a member's role; only an owner grants the owner role or changes an owner's role (403)",
        params: accountParams,
        body: memberBody,
        response: { 200: memberAnswer },
      },
    },
    async (request) => {
      const principal = await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      const body = { ...request.body, email: request.body.email.toLowerCase() };
      return needService(services, 'addMember')(request.params.accountId, body, actorOf(principal));
    },
  );

  typed.delete(
    '/api/v1/accounts/:accountId/members/:userId',
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['users'],
        summary:
          "Remove a member from the account; the person's sessions lose the account at once. Only an owner removes an owner (403); never the last owner, nor an organization admin, who would keep access (409)",
        params: accountParams.extend({ userId: z.string().min(1).max(100) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const principal = await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      const removed = await needService(services, 'removeMember')(
        request.params.accountId,
        request.params.userId,
        actorOf(principal),
      );
      if (!removed) throw new HttpError('not_found', 'This user is not a member of the account.');
      return reply.code(204).send(null);
    },
  );

  typed.post(
    '/api/v1/accounts/:accountId/organization/accounts',
    {
      onRequest: auth,
      schema: {
        // The caller becomes the new account's owner, so an API key (which belongs to one account) cannot.
        ...requires('manage_account'),
        security: [{ session: [] }],
        tags: ['users'],
        summary: 'Create another account in the same organization; the caller becomes its owner',
        params: accountParams,
        body: siblingBody,
        response: { 200: z.object({ id: z.string(), name: z.string() }) },
      },
    },
    async (request) => {
      const principal = await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      if (principal.kind !== 'user')
        throw new HttpError('forbidden', 'Sign in as a user to create accounts.');
      return needService(services, 'createSiblingAccount')(
        request.params.accountId,
        request.body,
        actorOf(principal),
      );
    },
  );
}
