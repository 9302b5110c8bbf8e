// Logger options: secrets and personal data never reach the log (headers, keys, passwords, emails, phones, bodies).
import type { FastifyServerOptions } from 'fastify';

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'body',
  '*.body',
  '*.password',
  '*.email',
  '*.phone',
  '*.api_key',
  '*.apiKey',
  '*.key',
  '*.token',
  '*.secretKey',
  // PostgreSQL errors quote the offending row ("Key (email)=(...) already exists").
  'err.detail',
  'err.where',
];

/** Pino options for Fastify; `stream` lets tests read what would be logged. */
export function buildLoggerOptions(
  level: string,
  stream?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      // Only method and path: query strings and host names can carry keys (Akismet puts the key in the host).
      req: (request: { method?: string; url?: string }) => ({
        method: request.method,
        path: request.url?.split('?')[0],
      }),
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
    },
    ...(stream ? { stream } : {}),
  } as FastifyServerOptions['logger'];
}
