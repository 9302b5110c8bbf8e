// An account's webhook endpoints (URL checked by the outbound guard, secret shown once) and its hold window for exports.
import { randomUUID } from 'node:crypto';
import { findAccountById, updateAccountSettings } from '../db/repositories/accounts.ts';
import {
  deleteWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookEndpoints,
  updateWebhookEndpoint,
} from '../db/repositories/webhook-endpoints.ts';
import type { WebhookEndpointRow } from '../db/repositories/webhook-endpoints.ts';
import type { IntegrationServices, WebhookEndpointView } from '../http/integration-port.ts';
import { checkOutboundUrl } from '../integrations/url-guard.ts';
import { generateWebhookSecret, isWebhookEvent } from '../integrations/webhooks.ts';
import { isUuid } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';

/** Enough for a CRM, an automation tool and a few spares; each lead event fans out to every one. */
const maxEndpointsPerAccount = 20;

const viewOf = (row: WebhookEndpointRow): WebhookEndpointView => ({
  id: String(row.id),
  url: row.url,
  events: row.events,
  enabled: row.enabled,
  createdAt: new Date(row.created_at).toISOString(),
});

function checkUrl(url: string, allowPrivateUrls: boolean): string {
  const checked = checkOutboundUrl(url.trim(), { allowPrivate: allowPrivateUrls });
  if (!checked.ok) throw new ServiceError('invalid_input', `url: ${checked.message}`);
  return checked.url.toString();
}

function checkEvents(events: readonly string[]): string[] {
  const unknown = events.filter((event) => !isWebhookEvent(event));
  if (unknown.length > 0 || events.length === 0)
    throw new ServiceError(
      'invalid_input',
      'events: one or more of lead.created, lead.marked_spam, lead.released, lead.deleted',
    );
  return [...new Set(events)];
}

export type WebhookEndpointServices = Pick<
  IntegrationServices,
  | 'listWebhookEndpoints'
  | 'createWebhookEndpoint'
  | 'updateWebhookEndpoint'
  | 'deleteWebhookEndpoint'
  | 'getHoldMinutes'
  | 'setHoldMinutes'
>;

export function createWebhookEndpointServices(deps: ServiceDeps): WebhookEndpointServices {
  return {
    async listWebhookEndpoints(accountId) {
      if (!isUuid(accountId)) return [];
      return (await listWebhookEndpoints(deps.db, accountId)).map(viewOf);
    },

    async createWebhookEndpoint(accountId, input, options) {
      if (!isUuid(accountId)) throw new ServiceError('not_found', 'no such account');
      const url = checkUrl(input.url, options.allowPrivateUrls);
      const events = checkEvents(input.events);
      const secret = generateWebhookSecret();
      return deps.db.transaction(async (tx) => {
        if ((await listWebhookEndpoints(tx, accountId)).length >= maxEndpointsPerAccount)
          throw new ServiceError(
            'conflict',
            `an account has at most ${maxEndpointsPerAccount} webhook endpoints`,
          );
        const row = await insertWebhookEndpoint(tx, {
          id: randomUUID(),
          account_id: accountId,
          url,
          secret,
          events,
          enabled: input.enabled ?? true,
        });
        if (!row) throw new ServiceError('not_found', 'no such account');
        return { ...viewOf(row), secret };
      });
    },

    async updateWebhookEndpoint(accountId, id, change, options) {
      if (!isUuid(accountId) || !isUuid(id)) return undefined;
      const row = await updateWebhookEndpoint(deps.db, accountId, id, {
        url: change.url === undefined ? undefined : checkUrl(change.url, options.allowPrivateUrls),
        events: change.events === undefined ? undefined : checkEvents(change.events),
        enabled: change.enabled,
      });
      return row && viewOf(row);
    },

    async deleteWebhookEndpoint(accountId, id) {
      if (!isUuid(accountId) || !isUuid(id)) return false;
      return deleteWebhookEndpoint(deps.db, accountId, id);
    },

    async getHoldMinutes(accountId) {
      if (!isUuid(accountId)) return undefined;
      return (await findAccountById(deps.db, accountId))?.hold_minutes;
    },

    async setHoldMinutes(accountId, minutes) {
      if (!isUuid(accountId)) return false;
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 10_080)
        throw new ServiceError(
          'invalid_input',
          'holdMinutes: a whole number of minutes from 0 to 10080 (a week)',
        );
      return updateAccountSettings(deps.db, accountId, { hold_minutes: minutes });
    },
  };
}
