// Opens what the HTTP layer runs on: the database (migrated), and the domain services shaped as the HTTP services port.
import { loadModel } from '../classifier/model-file.ts';
import type { AppConfig } from '../config/env.ts';
import { startServerJobs } from '../jobs/server-jobs.ts';
import type { ServerJobs, ServerJobsLog } from '../jobs/server-jobs.ts';
import { openStorageBackend } from '../services/backend.ts';
import type { HttpServices } from './services-port.ts';

export interface Backend {
  readonly services: HttpServices;
  readonly issueRenderToken: (formKey: string, now: number) => string;
  /** Starts the delivery worker, retention and the reply listener; a backend without it runs none (tests). */
  startJobs?(log: ServerJobsLog): Promise<ServerJobs>;
  /** Commits the leads queued for intake now (shutdown: in-flight requests wait for them). */
  drain?(): Promise<void>;
  /** Commits what is queued, then closes the database. */
  close(): Promise<void>;
}

/** Opens PostgreSQL (DATABASE_URL) or the embedded store in the data folder, applies migrations, binds the services. */
export async function openBackend(config: AppConfig): Promise<Backend> {
  // The shipped base model; without one the classifier check stays silent.
  const model = await loadModel();
  // Marks teach the global and per-account models, which start from the base model.
  const storage = await openStorageBackend(config, { model, learning: { base: model } });
  return { ...storage, startJobs: (log) => startServerJobs({ config, db: storage.db, log }) };
}
