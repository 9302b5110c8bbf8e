// Runs the reply-to-flag SMTP listener: a "spam" reply from a notified recipient flags that lead, anything else changes nothing.
import type { AddressInfo } from 'node:net';
import type { Db } from '../db/database.ts';
import { createReplyListener } from '../integrations/reply-flag.ts';
import { acceptReplyFlag } from './email-flag.ts';

export interface ReplyFlagListenerOptions {
  readonly db: Pick<Db, 'query'>;
  readonly secretKey: string;
  /** The domain of `reply+TOKEN@domain`; MX for it points at this listener. */
  readonly replyDomain: string;
  readonly host?: string;
  readonly port: number;
  /** Marks the lead spam, e.g. services' markSpam with via `email_link` and "marked spam by email reply by <sender>". */
  readonly flagLead: (flag: { accountId: string; leadId: string; sender: string }) => Promise<void>;
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  readonly onIgnored?: (reason: string) => void;
}

export interface RunningReplyListener {
  readonly port: number;
  close(): Promise<void>;
}

export async function startReplyFlagListener(
  options: ReplyFlagListenerOptions,
): Promise<RunningReplyListener> {
  const server = createReplyListener({
    replyDomain: options.replyDomain,
    tls: options.tls,
    onIgnored: options.onIgnored,
    async onFlag({ token, sender }) {
      const hit = await acceptReplyFlag(options.db, { token, sender, secret: options.secretKey });
      if (!hit) return options.onIgnored?.('not_a_notified_recipient');
      await options.flagLead({ ...hit, sender });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
