// Exact sliding-window counter shared by every instance through Redis (one sorted set per key, one atomic Lua call per hit).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CounterHealth, FrequencyCounter } from './frequency-counter.ts';
import { MemoryCounter } from './memory-counter.ts';

// Trim, add, expire and count in one script so concurrent instances never see a half-done window.
const hitScript = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
redis.call('ZADD', key, now, ARGV[3])
redis.call('PEXPIRE', key, window)
return redis.call('ZCARD', key)
`;

export interface CounterLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface RedisCounterOptions {
  readonly url: string;
  /** Prefix of every key, so tests and several deployments can share one Redis. */
  readonly prefix?: string;
  readonly logger?: CounterLogger;
  /** How long one Redis call may take before this instance counts on its own (ms). */
  readonly commandTimeoutMs?: number;
}

type WithHit = Redis & {
  leadguardHit(key: string, now: number, windowMs: number, member: string): Promise<number>;
};

export class RedisCounter implements FrequencyCounter {
  readonly #redis: WithHit;
  readonly #local = new MemoryCounter();
  readonly #prefix: string;
  readonly #logger: CounterLogger | undefined;
  readonly #instance = randomBytes(6).toString('hex');
  #sequence = 0;
  #health: CounterHealth = 'ok';

  constructor(options: RedisCounterOptions) {
    this.#prefix = options.prefix ?? 'leadguard:freq:';
    this.#logger = options.logger;
    const redis = new Redis(options.url, {
      // Fail fast while Redis is away instead of queueing: intake must not wait on the counter.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      lazyConnect: false,
      // Concurrent intake requests share one round trip to Redis.
      enableAutoPipelining: true,
    });
    redis.on('error', () => {
      // Reported once through #degrade; ioredis would otherwise print every reconnect failure.
    });
    redis.defineCommand('leadguardHit', { numberOfKeys: 1, lua: hitScript });
    this.#redis = redis as WithHit;
  }

  /** Resolves once connected (or rejects), so startup can report a wrong REDIS_URL at once. */
  async ready(): Promise<void> {
    if (this.#redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        this.#redis.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        this.#redis.off('ready', onReady);
        reject(error);
      };
      this.#redis.once('ready', onReady);
      this.#redis.once('error', onError);
    });
  }

  async hit(key: string, windowMs: number, now: number): Promise<number> {
    // The local count is always kept so a Redis outage falls back to this instance's recent history.
    const local = this.#local.record(key, windowMs, now);
    this.#sequence += 1;
    const member = `${now}:${this.#instance}:${this.#sequence}`;
    try {
      const shared = Number(await this.#redis.leadguardHit(this.#prefix + key, now, windowMs, member));
      if (this.#health === 'degraded') {
        this.#health = 'ok';
        this.#logger?.info({ counter: 'redis' }, 'Redis is back: per-IP counts are shared again');
      }
      return shared;
    } catch (error) {
      if (this.#health === 'ok') {
        this.#health = 'degraded';
        this.#logger?.warn(
          { counter: 'redis', err: error instanceof Error ? error.message : String(error) },
          'Redis unreachable: per-IP counts fall back to this instance only until it returns',
        );
      }
      return local;
    }
  }

  health(): CounterHealth {
    return this.#health;
  }

  async close(): Promise<void> {
    await this.#local.close();
    this.#redis.disconnect();
  }
}
