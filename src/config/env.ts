// The service's configuration: the only reader of process.env, parsed once into a frozen typed object.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optionalText = z.preprocess(emptyToUndefined, z.string().trim().optional());
const optionalUrl = (protocols: readonly string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: new RegExp(`^(${protocols.join('|')})$`) })
      .optional()
      .describe(`a ${protocols.join(' or ')} URL`),
  );
const flag = z.preprocess(
  (value) =>
    typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase()) : value,
  z.boolean().default(false),
);

export const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  /** 127.0.0.1 by default: 0.0.0.0 exposes the service on every network interface. */
  HOST: z.preprocess(emptyToUndefined, z.string().trim().min(1).default('127.0.0.1')),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().trim().min(1).default('./data')),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  SECRET_KEY: z.preprocess(
    emptyToUndefined,
    z.string().min(32, 'SECRET_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  ),
  /** A header to read the client IP from (e.g. `x-forwarded-for`), or proxy addresses/CIDRs to trust. */
  TRUSTED_PROXY: optionalText,
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  PUBLIC_URL: optionalUrl(['http', 'https']),
  ALLOW_PRIVATE_URLS: flag,
  MAIL_FROM: z.preprocess(emptyToUndefined, z.email().optional()),
  REPLY_DOMAIN: z.preprocess(
    emptyToUndefined,
    z.hostname('REPLY_DOMAIN must be a domain name').toLowerCase().optional(),
  ),
  REPLY_SMTP_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  TWILIO_AUTH_TOKEN: optionalText,
});

export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  /** Signs sessions and tokens; 32+ characters. */
  readonly secretKey: string;
  /** Where the secret came from, so startup can say so. */
  readonly secretSource: 'env' | 'data-dir';
  readonly trustedProxy: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly smtpUrl: string | undefined;
  readonly publicUrl: string | undefined;
  readonly allowPrivateUrls: boolean;
  /** Sender of every email; undefined means leadguard@<PUBLIC_URL host>. */
  readonly mailFrom: string | undefined;
  /** Domain of the reply-to-flag addresses (reply+TOKEN@domain). */
  readonly replyDomain: string | undefined;
  /** Port of the reply-to-flag SMTP listener; it runs only when this and replyDomain are set. */
  readonly replySmtpPort: number | undefined;
  /** Verifies Twilio voice webhooks for accounts that set no token of their own. */
  readonly twilioAuthToken: string | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const secretFileName = 'secret-key';

/** Reads the generated secret from the data folder, creating it on first start (mode 0600). */
function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, secretFileName);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  // 'wx' fails if another process created it meanwhile; then that one wins.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}

/** Parses an environment (process.env by default) into the frozen config; throws ConfigError naming every bad variable. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  if (!env.SECRET_KEY && (env.DATABASE_URL || env.NODE_ENV === 'production')) {
    // Several instances over one database must share one secret, so a generated one would break sessions.
    throw new ConfigError(
      'SECRET_KEY is required when DATABASE_URL is set or NODE_ENV=production (32+ characters, e.g. `openssl rand -hex 32`)',
    );
  }
  const dataDir = resolve(env.DATA_DIR);
  const secretKey = env.SECRET_KEY ?? loadOrCreateSecret(dataDir);
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    secretKey,
    secretSource: env.SECRET_KEY ? 'env' : 'data-dir',
    trustedProxy: env.TRUSTED_PROXY,
    logLevel: env.LOG_LEVEL,
    smtpUrl: env.SMTP_URL,
    publicUrl: env.PUBLIC_URL,
    allowPrivateUrls: env.ALLOW_PRIVATE_URLS,
    mailFrom: env.MAIL_FROM,
    replyDomain: env.REPLY_DOMAIN,
    replySmtpPort: env.REPLY_SMTP_PORT,
    twilioAuthToken: env.TWILIO_AUTH_TOKEN,
  } satisfies AppConfig);
}

/** What each variable means, for `leadguard serve --help` and the README. */
export const envHelp = `Environment:
  PORT                port to listen on (default 3000)
  HOST                address to bind (default 127.0.0.1; 0.0.0.0 exposes the service on every network interface)
  DATA_DIR            data folder for the embedded database and generated secret (default ./data)
  DATABASE_URL        postgres://... to use a PostgreSQL server instead of the embedded store
  REDIS_URL           redis://... so several instances share per-IP counters
  SECRET_KEY          32+ characters signing sessions and tokens (required with DATABASE_URL;
                      otherwise generated once into DATA_DIR)
  TRUSTED_PROXY       header carrying the client IP behind your proxy (e.g. x-forwarded-for), or
                      proxy addresses/CIDRs to trust; default: the socket address only
  LOG_LEVEL           fatal|error|warn|info|debug|trace|silent (default info)
  SMTP_URL            smtp://user:pass@host:port for outgoing mail
  PUBLIC_URL          the address people reach this service at (links in emails, embed snippet)
  ALLOW_PRIVATE_URLS  1 to allow webhooks to private addresses (tests, on-premises)
  MAIL_FROM           sender address of every email (default leadguard@<PUBLIC_URL host>)
  REPLY_DOMAIN        domain of the reply-to-flag addresses; its MX points at this service
  REPLY_SMTP_PORT     port of the reply-to-flag SMTP listener (runs only with REPLY_DOMAIN)
  TWILIO_AUTH_TOKEN   verifies Twilio voice webhooks (an account's own token in its settings wins)`;
