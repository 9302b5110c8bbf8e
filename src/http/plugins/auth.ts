// Who is calling: a session cookie (with CSRF on state changes) or an API key; and the role check every admin route runs.
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySecureSession from '@fastify/secure-session';
import type {
  FastifyInstance,
  FastifyRequest,
  onRequestAsyncHookHandler,
  onRequestHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import { deriveKey } from '../../config/keys.ts';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import type { AccountServices } from '../routes/account-services.ts';
import type { Action, Actor, Principal } from '../services-port.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}
declare module '@fastify/secure-session' {
  interface SessionData {
    userId: string;
    /** This session's own id, which sign-out records as ended (migration 0007); cookies without one are refused. */
    sessionId: string;
    /** The user's session version when the session began; a password change moves it on (migration 0005). */
    version: number;
    _csrf: string;
  }
}

export const sessionCookieName = 'leadguard_session';
/** How long a session cookie stays valid after it was last written (the plugin refuses older ones). */
const sessionLifetimeSeconds = 7 * 24 * 3600;
/** OpenAPI `security` of routes that need a session or an API key (schemes declared in app.ts). */
export const signedIn: readonly { readonly [scheme: string]: readonly string[] }[] = [
  { apiKey: [] },
  { session: [] },
];
const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The least role that may call a route; `signed_in` routes need a caller but no account role. */
export type RequiredRole = 'signed_in' | 'member' | 'contact_admin' | 'admin';
const leastRole: Readonly<Record<Action, RequiredRole>> = {
  read: 'member',
  review: 'contact_admin',
  manage_rules: 'contact_admin',
  manage_account: 'admin',
};

/**
 * OpenAPI fields for a route that needs a signed-in caller allowed `action` on the path's account: its `security`
 * and the least role as `x-required-role`, which a test walks for every operation against what the route enforces.
 */
export function requires(action: Action | 'signed_in') {
  const role: RequiredRole = action === 'signed_in' ? action : leastRole[action];
  return { security: signedIn, 'x-required-role': role };
}

/** Reads an API key from `Authorization: Bearer` or `X-Api-Key`. */
export function readApiKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim() || undefined;
  const raw = request.headers['x-api-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  return key?.trim() || undefined;
}

async function authPlugin(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifySecureSession, {
    key: deriveKey(deps.config.secretKey, 'session'),
    cookieName: sessionCookieName,
    expiry: sessionLifetimeSeconds,
    cookie: {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.publicUrl?.startsWith('https:') ?? false,
    },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/secure-session',
    getToken: (request) => request.headers['x-csrf-token'] as string,
  });
  app.decorateRequest('principal', null);
}

export const registerAuth = fp(authPlugin, { name: 'leadguard-auth' });

/** Begins a session for the user: a fresh cookie, so a session id planted before sign-in is worthless after it. */
export function startSession(request: FastifyRequest, userId: string, version: number): void {
  request.session.regenerate();
  request.session.set('sessionId', randomUUID());
  request.session.set('userId', userId);
  request.session.set('version', version);
}

/**
 * The user the session cookie names, while the session is current. Cookies are signed, not stored, so a session is
 * ended server-side in two ways: by version (a password change ends every session issued before it) and by its own
 * id (sign-out records that one session as ended). A cookie from before session ids can be ended by neither, so it
 * is refused: its user signs in once more.
 */
export async function sessionUserId(deps: RouteDeps, request: FastifyRequest): Promise<string | undefined> {
  const userId = request.session.get('userId');
  if (!userId) return undefined;
  const sessionId = request.session.get('sessionId');
  const services = deps.services as Partial<AccountServices>;
  const version = request.session.get('version') ?? 0;
  if (
    !sessionId ||
    (services.isSessionCurrent && !(await services.isSessionCurrent(userId, version, sessionId)))
  ) {
    // Emptied, not deleted: a deleted session drops whatever the answer adds, such as the CSRF secret that the
    // page's next sign-in is checked against.
    request.session.regenerate();
    return undefined;
  }
  return userId;
}

/**
 * Signs this session out: its id is recorded as ended until the cookie would have expired anyway, so a copy of the
 * cookie stops working too. The user's other sessions go on.
 */
export async function endSession(deps: RouteDeps, request: FastifyRequest): Promise<void> {
  const sessionId = request.session.get('sessionId');
  const services = deps.services as Partial<AccountServices>;
  if (sessionId && services.endSession)
    await services.endSession(sessionId, new Date(Date.now() + sessionLifetimeSeconds * 1000));
  request.session.delete();
}

/** The action each declared least role stands for, to check a route's role before its input is read. */
const actionOf: Readonly<Record<Exclude<RequiredRole, 'signed_in'>, Action>> = {
  member: 'read',
  contact_admin: 'review',
  admin: 'manage_account',
};

/** The fields `requires()` puts in a route schema, read back at request time. */
interface DeclaredAccess {
  readonly security?: readonly { readonly [scheme: string]: readonly string[] }[];
  readonly 'x-required-role'?: RequiredRole;
}

/**
 * onRequest hooks for every route that needs a caller: who is calling (401), the CSRF token of a session request that
 * changes state (403), then the least role the route declares on the path's account (404 for another tenant's
 * account, 403 for a role too low) and API keys on session-only routes (403). They run before the body is parsed or
 * validated, so a caller who may not use the route learns nothing about what it accepts. Handlers still check their
 * exact action with assertAllowed (answered from this request's cache).
 */
export function requireAuth(app: FastifyInstance, deps: RouteDeps): onRequestHookHandler[] {
  const authenticate: onRequestAsyncHookHandler = async (request) => {
    const apiKey = readApiKey(request);
    if (apiKey !== undefined) {
      const principal = await deps.services.verifyApiKey(apiKey);
      if (!principal) throw new HttpError('invalid_api_key');
      request.principal = principal;
      return;
    }
    const userId = await sessionUserId(deps, request);
    if (!userId) throw new HttpError('unauthenticated');
    request.principal = { kind: 'user', userId };
  };
  const checkCsrf: onRequestHookHandler = (request, reply, done) => {
    // Cookies ride along on cross-site requests; the token proves the page that sent it is ours.
    if (request.principal?.kind === 'user' && stateChanging.has(request.method))
      app.csrfProtection(request, reply, done);
    else done();
  };
  const checkRole: onRequestAsyncHookHandler = async (request) => {
    const declared = request.routeOptions.schema as DeclaredAccess | undefined;
    const role = declared?.['x-required-role'];
    // Path parameters are known from the route match; they are validated later, and authorize refuses a non-id.
    const accountId = (request.params as Readonly<Record<string, string | undefined>>).accountId;
    if (role && role !== 'signed_in' && accountId !== undefined)
      await assertAllowed(deps, request, accountId, actionOf[role]);
    if (
      request.principal?.kind === 'api_key' &&
      declared?.security &&
      !declared.security.some((scheme) => 'apiKey' in scheme)
    )
      throw new HttpError('forbidden', 'Sign in as a user for this; an API key cannot call it.');
  };
  return [authenticate as onRequestHookHandler, checkCsrf, checkRole as onRequestHookHandler];
}

/** Each request's authorize answers by account and action: the early role check and the handler's ask once. */
const decided = new WeakMap<FastifyRequest, Map<string, Promise<boolean>>>();

function authorizeOnce(
  deps: RouteDeps,
  request: FastifyRequest,
  principal: Principal,
  accountId: string,
  action: Action,
): Promise<boolean> {
  let answers = decided.get(request);
  if (!answers) decided.set(request, (answers = new Map()));
  const key = `${accountId} ${action}`;
  let answer = answers.get(key);
  if (!answer) answers.set(key, (answer = deps.services.authorize(principal, accountId, action)));
  return answer;
}

/**
 * Role check for a route under /accounts/:accountId. Another tenant's account answers 404 (its existence is not
 * confirmed); a role too low for the action answers 403.
 */
export async function assertAllowed(
  deps: RouteDeps,
  request: FastifyRequest,
  accountId: string,
  action: Action,
): Promise<Principal> {
  const principal = request.principal;
  if (!principal) throw new HttpError('unauthenticated');
  if (!(await authorizeOnce(deps, request, principal, accountId, 'read'))) throw new HttpError('not_found');
  if (action !== 'read' && !(await authorizeOnce(deps, request, principal, accountId, action)))
    throw new HttpError('forbidden');
  return principal;
}

export function actorOf(principal: Principal): Actor {
  return { principal, via: principal.kind === 'api_key' ? 'api' : 'panel' };
}
