// Security headers on every answer, from helmet's middleware built once at start.
// (@fastify/helmet builds the middleware again for every request: about 4 % of intake's CPU.)
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

export function registerSecurityHeaders(app: FastifyInstance): void {
  const setHeaders = helmet({
    // The embed script and token are loaded by other sites; the route sets its own resource policy.
    crossOriginResourcePolicy: { policy: 'same-site' },
    // Self-hosted installs are often reached over plain HTTP on a LAN address; upgrading the
    // panel's own script requests to https there leaves a blank page. TLS is the proxy's job.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  app.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined));
  });
}
