// Opens the database for a CLI command the way the server does: DATABASE_URL, else the data folder (DATA_DIR or --data-dir).
import { resolve } from 'node:path';
import { envSchema } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import type { Db } from '../../db/database.ts';

export async function openStoreForCli(options: { dataDir?: string }): Promise<Db> {
  const parsed = envSchema.pick({ DATABASE_URL: true, DATA_DIR: true }).safeParse(process.env);
  if (!parsed.success)
    throw new Error(
      `invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return openDatabase({
    databaseUrl: parsed.data.DATABASE_URL,
    dataDir: resolve(options.dataDir ?? parsed.data.DATA_DIR),
  });
}
