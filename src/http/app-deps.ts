// What buildApp needs from its caller, and what routes receive from it.
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/env.ts';
import type { FrequencyCounter } from '../counters/frequency-counter.ts';
import type { HttpServices } from './services-port.ts';

export interface AppDeps {
  readonly config: AppConfig;
  readonly services: HttpServices;
  readonly counter: FrequencyCounter;
  /** Signs a render token for a form (the engine's issueRenderToken bound to the instance secret). */
  readonly issueRenderToken: (formKey: string, now: number) => string;
  /** Pino options or false; tests pass false or a level. */
  readonly logger?: boolean | { readonly level: string; readonly stream?: NodeJS.WritableStream };
}

export interface RouteDeps extends AppDeps {
  readonly clientIp: (request: FastifyRequest) => string;
}
