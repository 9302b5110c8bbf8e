// Opens the real backend for the server: the database (DATABASE_URL or the data folder), migrations, and the domain services.
import type { AppConfig } from '../config/env.ts';
import { renderTokenSecret } from '../config/keys.ts';
import { openDatabase } from '../db/database.ts';
import { CompiledConfigCache } from '../engine/compile.ts';
import { issueRenderToken } from '../engine/render-token.ts';
import type { SpamModel } from '../engine/model.ts';
import { createDomainServices } from './http-services.ts';
import type { DomainServices } from './http-services.ts';
import type { Db } from '../db/database.ts';

export interface StorageBackend {
  readonly services: DomainServices;
  readonly db: Db;
  readonly issueRenderToken: (formKey: string, now: number) => string;
  close(): Promise<void>;
}

/** Shaped like the HTTP layer's `openBackend`, so main can wire it in directly. */
export async function openStorageBackend(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'secretKey'>,
  options: { model?: SpamModel } = {},
): Promise<StorageBackend> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // Tokens get their own key derived from SECRET_KEY, never the session key itself.
  const tokenSecret = renderTokenSecret(config.secretKey);
  const services = createDomainServices({
    db,
    configCache: new CompiledConfigCache(),
    model: options.model,
    renderTokenSecret: tokenSecret,
  });
  let closing: Promise<void> | undefined;
  return {
    services,
    db,
    issueRenderToken: (formKey, now) => issueRenderToken({ secret: tokenSecret, formKey, now }),
    close: () =>
      (closing ??= (async () => {
        // Leads already accepted into a batch are committed before the database closes.
        await services.drain();
        await db.close();
      })()),
  };
}
