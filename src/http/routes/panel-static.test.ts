// Serving the built panel: index.html for panel paths, cached hashed assets, and nothing shadowed outside the panel.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelStaticRoutes } from './panel-static.ts';

let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'panel-static-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  app = Fastify();
  app.get('/embed.js', async () => 'embed');
  app.get('/api/v1/leads', async () => ({ items: [] }));
  await app.register(panelStaticRoutes, { root });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe('panel static routes', () => {
  it('answers the root and every panel path, deep ones included, with index.html that is never cached', async () => {
    for (const url of ['/', '/inbox', '/quarantine', '/leads/0b5e4f2c', '/contacts/42?tab=history']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<div id="app">');
    }
  });

  it('serves hashed assets with a long immutable cache lifetime', async () => {
    const response = await app.inject({ url: '/assets/index-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('console.log(1)');
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it('leaves API, embed script and unknown paths to their own routes', async () => {
    expect((await app.inject({ url: '/embed.js' })).body).toBe('embed');
    expect((await app.inject({ url: '/api/v1/leads' })).json()).toEqual({ items: [] });
    const unknownApi = await app.inject({ url: '/api/v1/nothing-here' });
    expect(unknownApi.statusCode).toBe(404);
    expect(unknownApi.headers['content-type']).not.toContain('text/html');
    expect((await app.inject({ url: '/1.1/comment-check' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('says how to build the panel when web/dist is missing', async () => {
    const bare = Fastify({ logger: false });
    await bare.register(panelStaticRoutes, { root: join(root, 'not-built') });
    const response = await bare.inject({ url: '/inbox' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build:web');
    await bare.close();
  });
});
