// Where the client's IP comes from: the socket, or one configured trusted proxy header, never anything else the client sends.
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/** A TRUSTED_PROXY value is a header name when it looks like one; otherwise addresses/CIDRs Fastify's trustProxy reads. */
export function parseTrustedProxy(value: string | undefined): { header?: string; trustProxy?: string } {
  if (!value) return {};
  if (/^[a-z][a-z0-9-]*$/i.test(value) && isIP(value) === 0) return { header: value.toLowerCase() };
  return { trustProxy: value };
}

/** Returns a function reading the client IP for a request. */
export function createClientIpReader(trustedProxy: string | undefined): (request: FastifyRequest) => string {
  const { header } = parseTrustedProxy(trustedProxy);
  if (!header) return (request) => request.ip;
  return (request) => {
    const raw = request.headers[header];
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    // The proxy appends the address it saw; entries before it are whatever the client claimed.
    const last = value?.split(',').pop()?.trim();
    return last && isIP(last) !== 0 ? last : request.ip;
  };
}
