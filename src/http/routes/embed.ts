// GET /embed.js: the script sites add to their forms, cacheable since it changes only with a release.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { embedScript } from '../embed-script.ts';

const etag = `"${createHash('sha256').update(embedScript).digest('base64url').slice(0, 16)}"`;

export async function registerEmbedRoute(app: FastifyInstance): Promise<void> {
  app.get(
    '/embed.js',
    { schema: { tags: ['intake'], summary: 'The embed script for site forms' } },
    async (request, reply) => {
      void reply
        .header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400')
        .header('etag', etag)
        .header('cross-origin-resource-policy', 'cross-origin');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type('text/javascript; charset=utf-8').send(embedScript);
    },
  );
}
