import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCounter } from '../../src/counters/redis-counter.ts';
import { hasRedis, redisUrl } from '../support/services.ts';

const redisUp = await hasRedis();
const window = 300_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(child);
    });
  });
}

async function until(predicate: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not reached');
}

describe.skipIf(!redisUp)('RedisCounter', () => {
  const prefix = `leadguard:test:${randomUUID()}:`;
  let first: RedisCounter;
  let second: RedisCounter;
  beforeAll(async () => {
    first = new RedisCounter({ url: redisUrl, prefix });
    second = new RedisCounter({ url: redisUrl, prefix });
    await Promise.all([first.ready(), second.ready()]);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('counts hits from two instances together and catches the 301st across both', async () => {
    const results: number[] = [];
    for (let i = 0; i < 301; i += 1) {
      const counter = i % 2 === 0 ? first : second;
      results.push(await counter.hit('shared-ip', window, 1_000_000 + i * 10));
    }
    expect(results[299]).toBe(300);
    expect(results[300]).toBe(301);
  });

  it('counts concurrent hits exactly', async () => {
    const hits = Array.from({ length: 400 }, (_, i) =>
      (i % 2 === 0 ? first : second).hit('burst', window, 5_000_000),
    );
    const counts = await Promise.all(hits);
    expect(new Set(counts).size).toBe(400);
    expect(Math.max(...counts)).toBe(400);
  });

  it('catches bursts that straddle a fixed-window boundary', async () => {
    for (let i = 0; i < 300; i += 1) await first.hit('edge', window, 9_299_000 + i);
    expect(await second.hit('edge', window, 9_301_000)).toBe(301);
  });

  it('drops hits a full window old', async () => {
    await first.hit('old', 1000, 20_000_000);
    await second.hit('old', 1000, 20_000_500);
    expect(await first.hit('old', 1000, 20_001_000)).toBe(2);
  });

  it('falls back to its own count while Redis is down, then shares again when it returns', async () => {
    const port = await freePort();
    let server = await startRedis(port);
    const warnings: string[] = [];
    const infos: string[] = [];
    const logger = {
      warn: (_: object, message: string) => warnings.push(message),
      info: (_: object, message: string) => infos.push(message),
    };
    const counter = new RedisCounter({ url: `redis://127.0.0.1:${port}`, logger, commandTimeoutMs: 200 });
    try {
      await counter.ready();
      expect(await counter.hit('ip', window, 1000)).toBe(1);
      expect(counter.health()).toBe('ok');

      server.kill('SIGKILL');
      await new Promise((resolve) => server.once('exit', resolve));
      expect(await counter.hit('ip', window, 2000)).toBe(2);
      expect(await counter.hit('ip', window, 3000)).toBe(3);
      expect(counter.health()).toBe('degraded');
      expect(warnings).toHaveLength(1);

      server = await startRedis(port);
      // The restarted Redis is empty: the shared count starts again from what it sees.
      await until(async () => (await counter.hit('ip', window, 4000), counter.health() === 'ok'));
      expect(infos).toHaveLength(1);
    } finally {
      await counter.close();
      server.kill('SIGKILL');
    }
  });

  it('answers from its own count when Redis was never reachable', async () => {
    const port = await freePort();
    const counter = new RedisCounter({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 200 });
    try {
      expect(await counter.hit('ip', window, 1)).toBe(1);
      expect(await counter.hit('ip', window, 2)).toBe(2);
      expect(counter.health()).toBe('degraded');
    } finally {
      await counter.close();
    }
  });
});
