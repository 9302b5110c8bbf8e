import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leadguard-env-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('listens on loopback port 3000 by default and freezes the result', () => {
    const config = loadConfig({ DATA_DIR: tempDir() });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('generates a secret once into the data folder and reuses it after a restart', () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.secretKey).toHaveLength(64);
    expect(second.secretKey).toBe(first.secretKey);
    expect(first.secretSource).toBe('data-dir');
    expect(readFileSync(join(dir, 'secret-key'), 'utf8').trim()).toBe(first.secretKey);
  });

  it('requires SECRET_KEY when a PostgreSQL server is configured', () => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), DATABASE_URL: 'postgres://db/leads' })).toThrow(
      /SECRET_KEY is required/,
    );
    const config = loadConfig({ DATABASE_URL: 'postgres://db/leads', SECRET_KEY: 'k'.repeat(32) });
    expect(config.secretSource).toBe('env');
  });

  it('names every invalid variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://nope', SECRET_KEY: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/REDIS_URL/);
    expect(message).toMatch(/SECRET_KEY/);
  });

  it('treats empty variables as unset and reads boolean flags', () => {
    const config = loadConfig({ DATA_DIR: tempDir(), PORT: '', REDIS_URL: '', ALLOW_PRIVATE_URLS: 'true' });
    expect(config.port).toBe(3000);
    expect(config.redisUrl).toBeUndefined();
    expect(config.allowPrivateUrls).toBe(true);
  });
});
