// Builds the app over MemoryServices and an in-memory counter for HTTP tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/env.ts';
import { MemoryCounter } from '../../../src/counters/memory-counter.ts';
import type { FrequencyCounter } from '../../../src/counters/frequency-counter.ts';
import { renderTokenSecret } from '../../../src/config/keys.ts';
import { createRenderTokenIssuer } from '../../../src/http/render-tokens.ts';
import { MemoryServices } from './memory-services.ts';

export interface TestApp {
  app: FastifyInstance;
  services: MemoryServices;
  secretKey: string;
}

export async function buildTestApp(
  options: {
    env?: Record<string, string>;
    counter?: FrequencyCounter;
    logStream?: NodeJS.WritableStream;
  } = {},
): Promise<TestApp> {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'leadguard-http-')), ...options.env });
  const services = new MemoryServices({ renderTokenSecret: renderTokenSecret(config.secretKey) });
  const app = await buildApp({
    config,
    services,
    counter: options.counter ?? new MemoryCounter({ sweepEveryMs: 0 }),
    issueRenderToken: createRenderTokenIssuer(config.secretKey),
    logger: options.logStream ? { level: 'info', stream: options.logStream } : false,
  });
  await app.ready();
  return { app, services, secretKey: config.secretKey };
}
