// Finds the real services tests need (PostgreSQL, Redis, Chromium). In CI a missing service fails the run; locally the test skips with a notice.
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';

const inCi = process.env.CI === 'true' || process.env.CI === '1';

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

async function available(name: string, probe: () => Promise<boolean>): Promise<boolean> {
  if (await probe()) return true;
  if (inCi) throw new Error(`${name} is required in CI but is not reachable`);
  console.warn(`[notice] ${name} is not reachable: its tests are skipped here (they run in CI).`);
  return false;
}

/** True when PostgreSQL answers; throws in CI when it does not. */
export function hasPostgres(): Promise<boolean> {
  const url = new URL(postgresUrl);
  return available(`PostgreSQL (${url.host})`, () => portOpen(url.hostname, Number(url.port || 5432)));
}

/** True when Redis answers; throws in CI when it does not. */
export function hasRedis(): Promise<boolean> {
  const url = new URL(redisUrl);
  return available(`Redis (${url.host})`, () => portOpen(url.hostname, Number(url.port || 6379)));
}

/** True when Chromium is installed; throws in CI when it is not. */
export function hasChromium(): Promise<boolean> {
  return available(`Chromium (${chromiumPath})`, async () => existsSync(chromiumPath));
}
