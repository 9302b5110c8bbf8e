// Opens what the HTTP layer runs on: the database, its migrations and the domain services, adapted to the HTTP services port.
import type { AppConfig } from '../config/env.ts';
import type { HttpServices } from './services-port.ts';

export interface Backend {
  readonly services: HttpServices;
  readonly issueRenderToken: (formKey: string, now: number) => string;
  /** Closes the database (and anything else the backend opened). */
  close(): Promise<void>;
}

export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** Opens the real backend; the storage layer (src/db, src/services) provides it. */
export async function openBackend(_config: AppConfig): Promise<Backend> {
  throw new BackendUnavailableError(
    'the storage layer (src/db, src/services) is not wired into the HTTP services port yet',
  );
}
