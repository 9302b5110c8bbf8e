// The "Mark as spam" link from notification emails: GET shows a confirmation page (changes nothing), POST flags the lead once.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { escapeHtml } from '../../jobs/messages.ts';
import type { RouteDeps } from '../app-deps.ts';
import { needIntegration } from '../integration-port.ts';
import type { MaybeIntegrationServices, SpamLinkLead, SpamLinkRefusal } from '../integration-port.ts';

interface Page {
  readonly status: number;
  readonly title: string;
  /** Already-escaped HTML. */
  readonly body: string;
}

const refusals: Readonly<Record<SpamLinkRefusal, Page>> = {
  expired: {
    status: 410,
    title: 'This link has expired',
    body: '<p>Spam links work for two weeks. Open the lead in LeadGuard to mark it as spam there.</p>',
  },
  tampered: {
    status: 400,
    title: 'This link is not valid',
    body: '<p>The link was changed or cut short. Open it again from the email, or mark the lead in LeadGuard.</p>',
  },
  malformed: {
    status: 400,
    title: 'This link is not valid',
    body: '<p>The link is incomplete. Copy the whole link from the email, or mark the lead in LeadGuard.</p>',
  },
  reused: {
    status: 409,
    title: 'This link was already used',
    body: '<p>Each spam link works once. Nothing was changed now; the lead is as the first use left it.</p>',
  },
  not_recipient: {
    status: 403,
    title: 'This link is not valid for this lead',
    body: '<p>It does not match a notification LeadGuard sent. Mark the lead in LeadGuard instead.</p>',
  },
  not_found: {
    status: 404,
    title: 'This lead no longer exists',
    body: '<p>It was deleted, so there is nothing to mark.</p>',
  },
};

function sendPage(reply: FastifyReply, page: Page): FastifyReply {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)} · LeadGuard</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; }
dt { color: #57606a; }
dd { margin: 0; overflow-wrap: anywhere; }
button { font: inherit; padding: .6rem 1.2rem; border: 0; border-radius: .4rem; background: #b42318; color: #fff; cursor: pointer; }
</style>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
${page.body}
</body>
</html>
`;
  // The token is in the URL: no caching, and no referrer to carry it elsewhere.
  return reply
    .code(page.status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}

function describeLead(lead: SpamLinkLead): string {
  const rows: [string, string | undefined][] = [
    ['Name', lead.name],
    ['Email', lead.email],
    ['Phone', lead.phone],
    ['Form', lead.formName],
    ['Received', lead.receivedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')],
  ];
  const items = rows
    .filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '')
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value.slice(0, 300))}</dd>`);
  return `<dl>${items.join('')}</dl>`;
}

function confirmPage(token: string, recipient: string, lead: SpamLinkLead): Page {
  if (lead.status === 'quarantined')
    return {
      status: 200,
      title: 'This lead is already in quarantine',
      body: `${describeLead(lead)}<p>Nothing to do.</p>`,
    };
  return {
    status: 200,
    title: 'Mark this lead as spam?',
    body: `${describeLead(lead)}
<p>It moves to the quarantine, stops its pending deliveries, and LeadGuard learns from it. The history will say it was marked by email by ${escapeHtml(recipient)}.</p>
<form method="post" action="spam">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Mark as spam</button>
</form>`,
  };
}

/** A single string value, or undefined for anything else (missing, repeated, not text). */
function tokenOf(source: unknown): string | undefined {
  const value = source && typeof source === 'object' ? (source as { token?: unknown }).token : undefined;
  return typeof value === 'string' ? value : undefined;
}

export async function registerEmailFlagRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const services = deps.services as MaybeIntegrationServices;

  // No session: the signed, one-time token is the credential, and it never reaches the log (paths only).
  app.get('/email/spam', { schema: { hide: true } }, async (request, reply) => {
    const token = tokenOf(request.query);
    const check = await needIntegration(services, 'checkSpamLink')(token, deps.config.secretKey, new Date());
    if (check.status !== 'valid') return sendPage(reply, refusals[check.status]);
    return sendPage(reply, confirmPage(token ?? '', check.recipient, check.lead));
  });

  app.post('/email/spam', { schema: { hide: true } }, async (request, reply) => {
    const token = tokenOf(request.body);
    const used = await needIntegration(services, 'useSpamLink')(token, deps.config.secretKey, new Date());
    if (used.status !== 'flagged') return sendPage(reply, refusals[used.status]);
    return sendPage(reply, {
      status: 200,
      title: 'Marked as spam',
      body: `<p>The lead is in the quarantine, marked by email by ${escapeHtml(used.recipient)}. Thank you: LeadGuard learns from it.</p>`,
    });
  });
}
