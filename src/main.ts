// Starts the service: config, counter, backend (database + services), app, listen; shuts down gracefully on SIGTERM/SIGINT.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { AppConfig } from './config/env.ts';
import { createFrequencyCounter } from './counters/index.ts';
import type { CounterLogger } from './counters/redis-counter.ts';
import { openBackend } from './http/backend.ts';
import type { Backend } from './http/backend.ts';
import type { ServerJobs } from './jobs/server-jobs.ts';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  /** Stops accepting, drains in-flight requests, then closes the database and Redis. Safe to call twice. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Replaces the real backend (tests). */
  readonly openBackend?: typeof openBackend;
  readonly logger?: boolean;
}

export async function startServer(config: AppConfig, options: StartOptions = {}): Promise<RunningServer> {
  // The counter exists before the app's logger; its few messages are forwarded once the app is up.
  let app: FastifyInstance | undefined;
  const counterLog: CounterLogger = {
    warn: (object, message) => app?.log.warn(object, message),
    info: (object, message) => app?.log.info(object, message),
  };
  const counter = createFrequencyCounter({ redisUrl: config.redisUrl, logger: counterLog });
  let backend: Backend | undefined;
  let jobs: ServerJobs | undefined;
  try {
    backend = await (options.openBackend ?? openBackend)(config);
    app = await buildApp({
      config,
      services: backend.services,
      counter,
      issueRenderToken: backend.issueRenderToken,
      logger: options.logger ?? true,
    });
    const url = await app.listen({ host: config.host, port: config.port });
    jobs = await backend.startJobs?.(app.log);
    app.log.info(
      { url, store: config.databaseUrl ? 'postgresql' : 'embedded', redis: Boolean(config.redisUrl) },
      'LeadGuard is listening',
    );
    if (config.secretSource === 'data-dir')
      app.log.info('using the generated SECRET_KEY kept in the data folder');
    const started = app;
    const opened = backend;
    const running = jobs;
    let closing: Promise<void> | undefined;
    return {
      app: started,
      url,
      close: () =>
        (closing ??= (async () => {
          // In-flight submissions wait for their commit: leads waiting in the over-limit lane go now, not after their wait.
          void opened.drain?.();
          // Fastify stops accepting, answers 503 to new requests on kept-alive sockets, and waits for in-flight ones.
          await started.close();
          await running?.stop();
          await opened.close();
          await counter.close();
        })()),
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await jobs?.stop().catch(() => undefined);
    await backend?.close().catch(() => undefined);
    await counter.close();
    throw error;
  }
}

/** Closes the server on SIGTERM or SIGINT; a second signal exits at once. Returns a function removing the handlers. */
export function closeOnSignals(
  server: RunningServer,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      server.app.log.warn({ signal }, 'second signal: exiting without draining');
      exit(1);
      return;
    }
    stopping = true;
    server.app.log.info({ signal }, 'shutting down: draining in-flight requests');
    server.close().then(
      () => exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
