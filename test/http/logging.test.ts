import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './support/test-app.ts';

describe('request logging', () => {
  it('keeps keys, cookies, passwords and lead contents out of the log', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const { app, services } = await buildTestApp({ logStream: stream });
    try {
      const form = services.addForm(services.addAccount('A'));
      const key = services.addApiKey(services.addAccount('B'), 'admin');
      await app.inject({
        method: 'POST',
        url: `/api/v1/forms/${form.formKey}/submissions?email=q@example.com`,
        payload: { email: 'secret.person@example.com', phone: '+1 555 0100' },
      });
      await app.inject({
        method: 'GET',
        url: '/api/v1/accounts/x/leads',
        headers: { authorization: `Bearer ${key}`, cookie: 'leadguard_session=abc' },
      });
      await app.inject({
        method: 'POST',
        url: '/1.1/comment-check',
        headers: { host: `${key}.leadguard.example` },
        payload: { user_ip: '1.2.3.4' },
      });
      await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: 'someone@example.com', password: 'hunter2-secret' },
      });
      await app.inject({
        method: 'POST',
        url: `/api/v1/forms/${form.formKey}/submissions`,
        headers: { 'content-type': 'application/json' },
        payload: '{"email":"broken@example.com"',
      });
      // A database error quoting the row it refused.
      services.ingestLead = () =>
        Promise.reject(
          Object.assign(new Error('duplicate key'), {
            detail: 'Key (email)=(dup@example.com) already exists',
          }),
        );
      const failed = await app.inject({
        method: 'POST',
        url: `/api/v1/forms/${form.formKey}/submissions`,
        payload: { name: 'x' },
      });
      expect(failed.statusCode).toBe(500);
    } finally {
      await app.close();
    }
    const log = lines.join('');
    expect(log).toContain('duplicate key');
    expect(log).toContain('incoming request');
    for (const secret of [
      'secret.person@example.com',
      '555 0100',
      'lg_',
      'leadguard_session=abc',
      'hunter2-secret',
      'someone@example.com',
      'q@example.com',
      'broken@example.com',
      'dup@example.com',
    ]) {
      expect(log, secret).not.toContain(secret);
    }
  });
});
