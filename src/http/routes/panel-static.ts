// Serves the built control panel from web/dist: hashed assets under /assets/, index.html for the panel's own paths.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

// The panel's top-level paths: one list, kept with the panel.
import { panelSections } from '../../../web/src/sections.ts';

export interface PanelStaticOptions {
  /** The folder `vite build` wrote; `web/dist` of this repository by default. */
  readonly root?: string;
}

export const defaultPanelRoot = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LeadGuard</title></head>
<body><h1>The control panel is not built</h1><p>Run <code>npm run build:web</code> and reload this page.
The JSON API under <code>/api/v1</code> works without it.</p></body></html>`;

/**
 * Explicit routes for the panel's sections rather than a catch-all not-found handler, so the panel
 * can never shadow `/api`, `/1.1`, `/embed.js` or `/health`, and unknown API paths keep their JSON 404.
 */
export async function panelStaticRoutes(
  app: FastifyInstance,
  options: PanelStaticOptions = {},
): Promise<void> {
  const root = options.root ?? defaultPanelRoot;
  const assets = join(root, 'assets');
  if (!existsSync(root)) app.log.warn(`control panel not built (${root} is missing): run npm run build:web`);
  await app.register(fastifyStatic, {
    root: assets,
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    // File names carry a content hash, so a cached asset never goes stale.
    immutable: true,
    maxAge: '365d',
  });

  // Read on every request (it is under 1 kB): a rebuild changes the asset names it points to.
  const sendIndex = async (_request: unknown, reply: FastifyReply) => {
    const indexHtml = await readFile(join(root, 'index.html'), 'utf8').catch(() => undefined);
    void reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    if (indexHtml === undefined) return reply.code(503).send(notBuilt);
    return reply.send(indexHtml);
  };
  app.get('/', sendIndex);
  for (const section of panelSections) {
    app.get(`/${section}`, sendIndex);
    app.get(`/${section}/*`, sendIndex);
  }
}
