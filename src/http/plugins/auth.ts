// Who is calling: a session cookie (with CSRF on state changes) or an API key; and the role check every admin route runs.
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySecureSession from '@fastify/secure-session';
import type {
  FastifyInstance,
  FastifyRequest,
  preHandlerAsyncHookHandler,
  preHandlerHookHandler,
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
    /** The user's session version when the session began; a password change moves it on (migration 0005). */
    version: number;
    _csrf: string;
  }
}

export const sessionCookieName = 'leadguard_session';
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
    expiry: 7 * 24 * 3600,
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
  request.session.set('userId', userId);
  request.session.set('version', version);
}

/**
 * The user the session cookie names, while the session is current. Cookies are signed, not stored, so signing out a
 * user's other sessions works by version: one issued before the user's password changed is ended here.
 */
export async function sessionUserId(deps: RouteDeps, request: FastifyRequest): Promise<string | undefined> {
  const userId = request.session.get('userId');
  if (!userId) return undefined;
  const services = deps.services as Partial<AccountServices>;
  const version = request.session.get('version') ?? 0;
  if (services.isSessionCurrent && !(await services.isSessionCurrent(userId, version))) {
    request.session.delete();
    return undefined;
  }
  return userId;
}

/** preHandlers: resolve the principal and refuse anonymous calls, then check CSRF for session requests that change state. */
export function requireAuth(app: FastifyInstance, deps: RouteDeps): preHandlerHookHandler[] {
  const authenticate: preHandlerAsyncHookHandler = async (request) => {
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
  const checkCsrf: preHandlerHookHandler = (request, reply, done) => {
    // Cookies ride along on cross-site requests; the token proves the page that sent it is ours.
    if (request.principal?.kind === 'user' && stateChanging.has(request.method))
      app.csrfProtection(request, reply, done);
    else done();
  };
  return [authenticate as preHandlerHookHandler, checkCsrf];
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
  if (!(await deps.services.authorize(principal, accountId, 'read'))) throw new HttpError('not_found');
  if (action !== 'read' && !(await deps.services.authorize(principal, accountId, action)))
    throw new HttpError('forbidden');
  return principal;
}

export function actorOf(principal: Principal): Actor {
  return { principal, via: principal.kind === 'api_key' ? 'api' : 'panel' };
}
