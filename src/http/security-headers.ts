// Security headers on every answer: helmet's, worked out once at start and then copied onto each answer.
// (@fastify/helmet builds the middleware again for every request: about 4 % of intake's CPU; running helmet's
// twelve middlewares for every request still cost about 2 %, and with no per-request directive — no nonces — their
// headers are the same every time.)
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

type Header = readonly [name: string, value: string | number | readonly string[]];

/** The headers helmet sets with this configuration, read off one run of its middleware. */
function securityHeaders(): readonly Header[] {
  const setHeaders = helmet({
    // The embed script and token are loaded by other sites; the route sets its own resource policy.
    crossOriginResourcePolicy: { policy: 'same-site' },
    // Self-hosted installs are often reached over plain HTTP on a LAN address; upgrading the
    // panel's own script requests to https there leaves a blank page. TLS is the proxy's job.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  const headers = new Map<string, Header[1]>();
  const recorder = {
    setHeader: (name: string, value: Header[1]) => headers.set(name.toLowerCase(), value),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  let failed: unknown;
  setHeaders(
    {} as Parameters<typeof setHeaders>[0],
    recorder as unknown as Parameters<typeof setHeaders>[1],
    (error) => {
      failed = error;
    },
  );
  if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
  return [...headers];
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  const headers = securityHeaders();
  app.addHook('onRequest', (request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
