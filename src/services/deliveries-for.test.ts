// Which deliveries a lead gets and when: the hold window delays CRM exports and webhooks, never the emails to people.
import { describe, expect, it } from 'vitest';
import type { FormRow } from '../db/repositories/accounts.ts';
import { buildDeliveries } from './deliveries-for.ts';

const form: FormRow = {
  id: 'f1',
  account_id: 'a1',
  public_key: 'pk',
  name: 'Test drive',
  site_domains: [],
  settings: {},
  honeypot_field: 'lg_extra_notes',
  thank_you_url: null,
  notification_recipients: ['desk@dealer.example'],
  autoresponder_enabled: true,
  autoresponder: { subject: 'Thanks', text: 'We will call you.' },
  crm_targets: [
    { kind: 'crm_email', to: 'leads@crm.example' },
    { kind: 'crm_http', url: 'https://crm.example/adf' },
    { kind: 'webhook', endpointId: 'e1' },
  ],
};
const lead = { activityId: 'l1', accountId: 'a1', formId: 'f1', email: 'ann@example.com', emailValid: true };
const at = new Date('2026-11-23T09:00:00.000Z');

describe('buildDeliveries', () => {
  it('sends the notification and autoresponder at once and holds exports and webhooks for the window', () => {
    const rows = buildDeliveries(lead, { hold_minutes: 10 }, form, at);
    const when = Object.fromEntries(rows.map((row) => [row.kind, [row.not_before, row.next_attempt_at]]));
    const now = '2026-11-23T09:00:00.000Z';
    const held = '2026-11-23T09:10:00.000Z';
    expect(when).toEqual({
      notification: [now, now],
      autoresponder: [now, now],
      crm_email: [held, held],
      crm_http: [held, held],
      webhook: [held, held],
    });
  });

  it('holds nothing when the window is zero', () => {
    const rows = buildDeliveries(lead, { hold_minutes: 0 }, form, at);
    expect(new Set(rows.map((row) => row.not_before))).toEqual(new Set([at.toISOString()]));
  });

  it('gives the same keys when built twice, so a release never sends twice', () => {
    const keys = (r: ReturnType<typeof buildDeliveries>) => r.map((row) => row.idempotency_key);
    expect(keys(buildDeliveries(lead, { hold_minutes: 5 }, form, at))).toEqual(
      keys(buildDeliveries(lead, { hold_minutes: 5 }, form, new Date(at.getTime() + 60_000))),
    );
  });
});
