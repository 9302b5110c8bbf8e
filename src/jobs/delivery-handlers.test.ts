// Delivery jobs without the network: payload checks, the vehicle of interest, which leads may be delivered, missing SMTP.
import { describe, expect, it } from 'vitest';
import { JobPayloadError, runJob } from './job-definition.ts';
import { crmEmailJob, findVehicle, notificationJob, webhookJob } from './delivery-handlers.ts';
import type { DeliveryDeps } from './delivery-handlers.ts';
import { mayDeliver } from './delivery-worker.ts';

const lead = {
  id: 'lead-1',
  accountId: 'acc-1',
  formName: 'Contact',
  receivedAt: new Date('2026-11-23T12:00:00Z'),
  name: 'Ann Lee',
  email: 'ann@example.com',
};

const deps = (overrides: Partial<DeliveryDeps> = {}) => ({
  mailer: undefined,
  secretKey: 'handler-secret-0123456789abcdef0123456789',
  publicUrl: 'https://leads.example.com',
  mailFrom: 'notify@leadguard.example',
  guard: {},
  findWebhookEndpoint: async () => undefined,
  vendorName: async () => 'Acme',
  ...overrides,
  context: { deliveryId: 'd1', accountId: 'acc-1', idempotencyKey: 'k1', now: new Date(), lead },
});

describe('findVehicle', () => {
  it('reads a nested vehicle object', () => {
    expect(findVehicle({ vehicle: { year: 2021, make: 'Ford', model: 'F-150', status: 'Used' } })).toEqual({
      year: '2021',
      make: 'Ford',
      model: 'F-150',
      trim: undefined,
      vin: undefined,
      stock: undefined,
      interest: 'buy',
      status: 'used',
    });
  });

  it('reads flat vehicle_ fields', () => {
    expect(findVehicle({ vehicle_make: 'Kia', vehicle_vin: '1HGCM82633A004352' })).toMatchObject({
      make: 'Kia',
      vin: '1HGCM82633A004352',
    });
  });

  it('finds none on a form without a vehicle', () => {
    expect(findVehicle({ message: 'hello', year: '2020' })).toBeUndefined();
    expect(findVehicle(undefined)).toBeUndefined();
  });
});

describe('mayDeliver', () => {
  it('sends lead deliveries only for an active lead', () => {
    expect(mayDeliver({ kind: 'notification', payload: {} }, 'active')).toBe(true);
    expect(mayDeliver({ kind: 'crm_http', payload: {} }, 'quarantined')).toBe(false);
    expect(mayDeliver({ kind: 'webhook', payload: { event: 'lead.created' } }, 'deleted')).toBe(false);
    expect(mayDeliver({ kind: 'autoresponder', payload: {} }, undefined)).toBe(false);
  });

  it('sends lifecycle webhooks whatever the lead has become', () => {
    expect(mayDeliver({ kind: 'webhook', payload: { event: 'lead.marked_spam' } }, 'quarantined')).toBe(true);
    expect(mayDeliver({ kind: 'webhook', payload: { event: 'lead.deleted' } }, undefined)).toBe(true);
  });
});

describe('delivery jobs', () => {
  it('refuses a stored payload that does not match the job with a typed error', async () => {
    await expect(runJob(notificationJob, { recipients: 'x' }, deps())).rejects.toBeInstanceOf(
      JobPayloadError,
    );
    await expect(
      runJob(webhookJob, { endpointId: 'e', event: 'lead.exploded', occurredAt: 'x', data: {} }, deps()),
    ).rejects.toBeInstanceOf(JobPayloadError);
  });

  it('fails an email delivery visibly, without retrying, when SMTP is not configured', async () => {
    const outcome = await runJob(crmEmailJob, { to: 'leads@crm.example' }, deps());
    expect(outcome).toMatchObject({ ok: false, retryable: false, error: 'undeliverable' });
    expect(outcome.snippet).toContain('SMTP_URL');
  });

  it('fails a webhook whose endpoint was removed, without retrying', async () => {
    const outcome = await runJob(
      webhookJob,
      {
        endpointId: 'gone',
        event: 'lead.created',
        occurredAt: '2026-11-23T12:00:00.000Z',
        data: { leadId: 'lead-1' },
      },
      deps(),
    );
    expect(outcome).toMatchObject({ ok: false, retryable: false });
  });
});
