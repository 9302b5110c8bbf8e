// A real SMTP server on loopback that keeps every message it receives, raw and parsed.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  readonly raw: string;
  readonly parsed: ParsedMail;
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
}

export interface SmtpCapture {
  readonly url: string;
  readonly messages: CapturedMail[];
  /** Resolves when at least `count` messages have arrived. */
  waitFor(count: number): Promise<CapturedMail[]>;
  close(): Promise<void>;
}

/** `port` brings a server back where an earlier one listened (a mail server that was down comes back up). */
export async function startSmtpCapture(options: { readonly port?: number } = {}): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const waiters: { count: number; resolve: (m: CapturedMail[]) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1');
        simpleParser(raw)
          .then((parsed) => {
            messages.push({
              raw,
              parsed,
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            });
            for (const waiter of waiters.filter((w) => messages.length >= w.count)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(messages);
            }
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(count) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
