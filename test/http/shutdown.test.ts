import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { closeOnSignals, startServer } from '../../src/main.ts';
import { MemoryServices } from './support/memory-services.ts';

describe('graceful shutdown', () => {
  it('finishes in-flight submissions before closing the store, and refuses new connections', async () => {
    const services = new MemoryServices();
    const form = services.addForm(services.addAccount('A'));
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'leadguard-shutdown-')), PORT: '0' });
    let backendClosed = false;
    const server = await startServer(config, {
      logger: false,
      openBackend: async () => ({
        services,
        issueRenderToken: () => 'token',
        close: async () => {
          backendClosed = true;
          services.closed = true;
        },
      }),
    });
    services.ingestDelayMs = 300;
    const submit = () =>
      fetch(`${server.url}/api/v1/forms/${form.formKey}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ann@example.com' }),
      });
    const inFlight = [submit(), submit(), submit()];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = server.close();
    const responses = await Promise.all(inFlight);
    expect(responses.map((response) => response.status)).toEqual([202, 202, 202]);
    await closing;
    expect(backendClosed).toBe(true);
    expect(services.leads).toHaveLength(3);
    await expect(submit()).rejects.toThrow();
    // Closing twice is harmless.
    await server.close();
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const services = new MemoryServices();
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'leadguard-signal-')), PORT: '0' });
    let closed = false;
    const server = await startServer(config, {
      logger: false,
      openBackend: async () => ({
        services,
        issueRenderToken: () => 'token',
        close: async () => void (closed = true),
      }),
    });
    let removeHandlers = () => undefined as void;
    const exited = new Promise<number>((resolve) => {
      removeHandlers = closeOnSignals(server, resolve);
    });
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(await exited).toBe(0);
      expect(closed).toBe(true);
    } finally {
      removeHandlers();
    }
  });
});
