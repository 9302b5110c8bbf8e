// Child process for the lock test: opens the embedded store in the folder given, says so, and closes it.
import { openDatabase } from '../../../src/db/database.ts';

const folder = process.argv[2];
if (!folder) throw new Error('usage: open-data-dir.ts <folder>');
try {
  const db = await openDatabase({ dataDir: folder });
  process.stdout.write('opened\n');
  await db.close();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
