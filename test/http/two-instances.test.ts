import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCounter } from '../../src/counters/redis-counter.ts';
import { hasRedis, redisUrl } from '../support/services.ts';
import { buildTestApp } from './support/test-app.ts';
import type { TestApp } from './support/test-app.ts';

const redisUp = await hasRedis();

describe.skipIf(!redisUp)('two instances sharing one Redis', () => {
  const prefix = `leadguard:test:${randomUUID()}:`;
  const counters = [new RedisCounter({ url: redisUrl, prefix }), new RedisCounter({ url: redisUrl, prefix })];
  let instances: TestApp[];
  beforeAll(async () => {
    instances = [await buildTestApp({ counter: counters[0] }), await buildTestApp({ counter: counters[1] })];
  });
  afterAll(async () => {
    for (const instance of instances) await instance.app.close();
    for (const counter of counters) await counter.close();
  });

  it('count one IP’s leads together, so the 301st is seen as 301 whichever instance takes it', async () => {
    const accountId = randomUUID();
    const forms = instances.map((instance) =>
      instance.services.addForm(accountId, { formKey: `form${randomUUID().slice(0, 8)}` }),
    );
    const counts: number[] = [];
    for (let i = 0; i < 301; i += 1) {
      const which = i % 2;
      const instance = instances[which] as TestApp;
      await instance.app.inject({
        method: 'POST',
        url: `/api/v1/forms/${forms[which]?.formKey}/submissions`,
        remoteAddress: '192.0.2.50',
        payload: { email: 'flood@example.com' },
      });
      counts.push(instance.services.leads.at(-1)?.ipCount ?? 0);
    }
    expect(counts.slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(counts[300]).toBe(301);
    expect(
      await instances[1]?.app
        .inject({ method: 'GET', url: '/health' })
        .then((response) => response.json().redis),
    ).toBe('ok');
  });
});

describe('Redis outage', () => {
  it('keeps accepting leads on the instance’s own count and says so in /health', async () => {
    // Port 1 on loopback: nothing listens there, so every Redis call fails at once.
    const counter = new RedisCounter({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 });
    const { app, services } = await buildTestApp({ counter });
    try {
      const form = services.addForm(services.addAccount('A'));
      for (let i = 0; i < 3; i += 1) {
        const response = await app.inject({
          method: 'POST',
          url: `/api/v1/forms/${form.formKey}/submissions`,
          payload: { email: 'a@example.com' },
        });
        expect(response.statusCode).toBe(202);
      }
      expect(services.leads.at(-1)?.ipCount).toBe(3);
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'degraded', database: 'ok', redis: 'degraded' });
    } finally {
      await app.close();
      await counter.close();
    }
  });
});
