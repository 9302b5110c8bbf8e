// Picks the per-IP frequency counter: Redis when REDIS_URL is set, else this process's memory.
import type { FrequencyCounter } from './frequency-counter.ts';
import { MemoryCounter } from './memory-counter.ts';
import { RedisCounter } from './redis-counter.ts';
import type { CounterLogger } from './redis-counter.ts';

export type { CounterHealth, FrequencyCounter } from './frequency-counter.ts';
export { MemoryCounter } from './memory-counter.ts';
export { RedisCounter } from './redis-counter.ts';

export function createFrequencyCounter(options: {
  redisUrl?: string;
  logger?: CounterLogger;
}): FrequencyCounter {
  if (!options.redisUrl) return new MemoryCounter();
  return new RedisCounter({ url: options.redisUrl, logger: options.logger });
}
