// What a server runs beside HTTP: the delivery worker, the retention schedule and, when configured, the reply-to-flag listener.
import type { AppConfig } from '../config/env.ts';
import type { Db } from '../db/database.ts';
import { CompiledConfigCache } from '../engine/compile.ts';
import { markSpam, purgeExpiredNonces, purgeExpiredQuarantine } from '../services/index.ts';
import { startBackgroundJobs } from './background-jobs.ts';
import type { BackgroundJobsOptions } from './background-jobs.ts';
import { startReplyFlagListener } from './reply-flag-listener.ts';
import type { RunningReplyListener } from './reply-flag-listener.ts';
import type { PurgeExpiredQuarantine } from './retention.ts';

export interface ServerJobsLog {
  readonly error: (object: Record<string, unknown>, message: string) => void;
  readonly warn: (object: Record<string, unknown>, message: string) => void;
  readonly info: (object: Record<string, unknown>, message: string) => void;
}

export interface ServerJobs {
  /** The reply listener's port, when it runs. */
  readonly replyPort: number | undefined;
  /** Stops the listener first (no new flags), then lets the worker finish its batch. Safe to call twice. */
  stop(): Promise<void>;
}

// Retention and flagging only read and write rows: they need the database, not the compiled configurations.
const serviceDeps = (handle: Db) => ({ db: handle, configCache: new CompiledConfigCache() });

/** The retention round: quarantined leads past their account's retention, then spent one-time nonces (render tokens, spam links). */
export const purgeForRetention: PurgeExpiredQuarantine = async (tx, now) => {
  const purged = await purgeExpiredQuarantine(serviceDeps(tx), now);
  await purgeExpiredNonces(serviceDeps(tx), now);
  return purged;
};

export async function startServerJobs(options: {
  readonly config: AppConfig;
  readonly db: Db;
  readonly log?: ServerJobsLog;
  readonly pollMs?: number;
  readonly retry?: BackgroundJobsOptions['retry'];
}): Promise<ServerJobs> {
  const { config, db, log } = options;
  const jobs = startBackgroundJobs({
    db,
    config,
    purge: purgeForRetention,
    mailFrom: config.mailFrom,
    replyDomain: config.replyDomain,
    pollMs: options.pollMs,
    retry: options.retry,
    log,
  });
  let listener: RunningReplyListener | undefined;
  if (config.replyDomain && config.replySmtpPort !== undefined) {
    try {
      listener = await startReplyFlagListener({
        db,
        secretKey: config.secretKey,
        replyDomain: config.replyDomain,
        host: config.host,
        port: config.replySmtpPort,
        async flagLead({ accountId, leadId, sender }) {
          await markSpam(
            serviceDeps(db),
            accountId,
            leadId,
            { userId: null, via: 'email_link' },
            `marked spam by email reply by ${sender.toLowerCase()}`,
          );
        },
        onIgnored: (reason) => log?.info({ reason }, 'reply listener: message ignored'),
      });
      log?.info({ port: listener.port, domain: config.replyDomain }, 'reply-to-flag listener is listening');
    } catch (error) {
      await jobs.stop();
      throw error;
    }
  }
  let stopping: Promise<void> | undefined;
  return {
    replyPort: listener?.port,
    stop: () =>
      (stopping ??= (async () => {
        await listener?.close();
        await jobs.stop();
      })()),
  };
}
