// What every use case receives: the database, the compiled-config cache, the model and a clock. Nothing is global.
import type { Db } from '../db/database.ts';
import type { CompiledConfigCache } from '../engine/compile.ts';
import type { ConfigLayer } from '../engine/config.ts';
import type { SpamModel } from '../engine/model.ts';
import type { ModelStore } from './model-store.ts';

export interface ServiceDeps {
  readonly db: Db;
  readonly configCache: CompiledConfigCache;
  /** The trained classifier, when one is loaded. */
  readonly model?: SpamModel;
  /** The learning models (global + per account); without it every account screens with `model` and nothing learns. */
  readonly learning?: ModelStore;
  /** Signs and reads render tokens (the instance secret). */
  readonly renderTokenSecret?: string;
  /** The instance configuration layer, between shipped defaults and the account. */
  readonly instanceLayer?: ConfigLayer;
  readonly now?: () => Date;
}

export const nowOf = (deps: Pick<ServiceDeps, 'now'>): Date => deps.now?.() ?? new Date();

/** Who did something, as the history records it. */
export interface ActorRef {
  readonly userId: string | null;
  readonly via: 'panel' | 'api' | 'email_link' | 'akismet' | 'system';
}
