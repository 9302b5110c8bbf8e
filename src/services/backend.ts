// Opens the real backend for the server: the database (DATABASE_URL or the data folder), migrations, and the domain services.
import type { AppConfig } from '../config/env.ts';
import { renderTokenSecret } from '../config/keys.ts';
import { openDatabase } from '../db/database.ts';
import { CompiledConfigCache } from '../engine/compile.ts';
import { issueRenderToken } from '../engine/render-token.ts';
import type { SpamModel } from '../engine/model.ts';
import type { SpamClassifier } from '../classifier/spam-classifier.ts';
import { openModelStore } from './model-store.ts';
import { createDomainServices } from './http-services.ts';
import type { DomainServices } from './http-services.ts';
import type { IngestBatcherOptions } from './ingest-batcher.ts';
import type { Db } from '../db/database.ts';

export interface StorageBackend {
  readonly services: DomainServices;
  readonly db: Db;
  readonly issueRenderToken: (formKey: string, now: number) => string;
  /** Commits every lead queued for intake now, the over-limit lane's too, without closing anything. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Shaped like the HTTP layer's `openBackend`, so main can wire it in directly. */
export async function openStorageBackend(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'secretKey'>,
  options: { model?: SpamModel; learning?: { base?: SpamClassifier }; batching?: IngestBatcherOptions } = {},
): Promise<StorageBackend> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const warn = (error: unknown) =>
    process.emitWarning(`model store: ${error instanceof Error ? error.message : String(error)}`);
  const learning = options.learning
    ? await openModelStore({
        db,
        base: options.learning.base,
        onError: warn,
        onRebase: ({ from, to, marks }) =>
          process.emitWarning(
            `model store: the global model starts over from the shipped base model ${to} (was on ${from}), with ${marks} staff marks learned again`,
          ),
      }).catch(async (error: unknown) => {
        await db.close();
        throw error;
      })
    : undefined;
  // Tokens get their own key derived from SECRET_KEY, never the session key itself.
  const tokenSecret = renderTokenSecret(config.secretKey);
  const services = createDomainServices(
    {
      db,
      configCache: new CompiledConfigCache(),
      model: options.model,
      learning,
      renderTokenSecret: tokenSecret,
    },
    options.batching,
  );
  let closing: Promise<void> | undefined;
  return {
    services,
    db,
    issueRenderToken: (formKey, now) => issueRenderToken({ secret: tokenSecret, formKey, now }),
    drain: () => services.drain(),
    close: () =>
      (closing ??= (async () => {
        // Leads already accepted into a batch are committed before the database closes.
        await services.drain();
        // The last marks' learning is written before the database closes.
        await learning?.close().catch(warn);
        await db.close();
      })()),
  };
}
