// Starts the delivery worker, the retention schedule, the search indexer and the PGlite upkeep from the service's config; one call for main, one stop for shutdown.
import type { AppConfig } from '../config/env.ts';
import type { Db } from '../db/database.ts';
import { startPgliteUpkeep } from '../db/pglite-upkeep.ts';
import { createMailer } from '../integrations/mailer.ts';
import { throttleErrors } from './repeat.ts';
import { startSearchIndexer } from './search-indexer.ts';
import type { RetryPolicy } from './backoff.ts';
import { findAccountName, findWebhookEndpoint } from './delivery-reads.ts';
import { createDeliveryRepository } from './delivery-repository.ts';
import { startDeliveryWorker } from './delivery-worker.ts';
import { startRetentionSchedule } from './retention.ts';
import type { PurgeExpiredQuarantine, RetentionRun } from './retention.ts';

export interface BackgroundJobsOptions {
  readonly db: Db;
  readonly config: Pick<AppConfig, 'smtpUrl' | 'publicUrl' | 'secretKey' | 'allowPrivateUrls' | 'port'>;
  /** e.g. `(tx, now) => purgeExpiredQuarantine({ ...serviceDeps, db: tx }, now)`. */
  readonly purge: PurgeExpiredQuarantine;
  /** Sender of every email; defaults to leadguard@<PUBLIC_URL host>. */
  readonly mailFrom?: string;
  /** Domain of the reply-to-flag listener, when it runs. */
  readonly replyDomain?: string;
  readonly pollMs?: number;
  readonly retentionIntervalMs?: number;
  readonly retry?: RetryPolicy;
  readonly log?: {
    readonly error: (object: Record<string, unknown>, message: string) => void;
    readonly info: (object: Record<string, unknown>, message: string) => void;
  };
}

export interface BackgroundJobs {
  /** Lets the batch in hand finish, then stops both loops and closes the SMTP transport. */
  stop(): Promise<void>;
}

export function startBackgroundJobs(options: BackgroundJobsOptions): BackgroundJobs {
  const { db, config } = options;
  // Each job's failures, once a minute at most (a database outage fails every round of every job).
  const logError = (message: string) =>
    throttleErrors((error, kept) => options.log?.error({ err: error, keptQuiet: kept }, message));
  const publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const mailer = config.smtpUrl ? createMailer(config.smtpUrl) : undefined;
  const worker = startDeliveryWorker({
    repository: createDeliveryRepository(db),
    deps: {
      mailer,
      secretKey: config.secretKey,
      publicUrl,
      mailFrom: options.mailFrom ?? `leadguard@${new URL(publicUrl).hostname}`,
      replyDomain: options.replyDomain,
      guard: { allowPrivate: config.allowPrivateUrls },
      findWebhookEndpoint: (accountId, id) => findWebhookEndpoint(db, accountId, id),
      vendorName: (accountId) => findAccountName(db, accountId),
    },
    retry: options.retry,
    pollMs: options.pollMs,
    onError: logError('delivery worker: batch failed, retrying'),
  });
  const retention = startRetentionSchedule({
    db,
    purge: options.purge,
    intervalMs: options.retentionIntervalMs,
    onRun: (run: RetentionRun) => {
      if (run.purged > 0) options.log?.info({ purged: run.purged }, 'retention: quarantined leads purged');
    },
    onError: logError('retention: run failed'),
  });
  const upkeep = startPgliteUpkeep(db, {
    onError: logError('pglite upkeep: vacuum and analyze failed'),
  });
  const indexer = startSearchIndexer(db, {
    onError: logError('search indexer: round failed, retrying'),
  });
  return {
    async stop() {
      await Promise.all([worker.stop(), retention.stop(), upkeep.stop(), indexer.stop()]);
      mailer?.close();
    },
  };
}
