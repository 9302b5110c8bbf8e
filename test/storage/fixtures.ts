// Builds tenants for storage tests: an organization, accounts with a form, users with roles, all through the services.
import { CompiledConfigCache } from '../../src/engine/compile.ts';
import type { Db } from '../../src/db/database.ts';
import type { Lead } from '../../src/engine/types.ts';
import type { Actor } from '../../src/http/services-port.ts';
import type { ServiceDeps } from '../../src/services/index.ts';
import {
  addMembership,
  createAccount,
  createForm,
  createOrganization,
  createUser,
} from '../../src/services/index.ts';

export function depsFor(db: Db, now?: () => Date): ServiceDeps {
  return { db, configCache: new CompiledConfigCache(), renderTokenSecret: 's'.repeat(32), now };
}

export interface Tenant {
  readonly organizationId: string;
  readonly accountId: string;
  readonly formId: string;
  readonly formKey: string;
}

export async function createTenant(
  deps: ServiceDeps,
  name: string,
  organizationId?: string,
  form: Parameters<typeof createForm>[2] = {
    name: 'Contact us',
    notificationRecipients: ['sales@dealer.example'],
  },
): Promise<Tenant> {
  const organization = organizationId ?? (await createOrganization(deps, { name: `${name} group` })).id;
  const account = await createAccount(deps, {
    organizationId: organization,
    name,
    siteDomains: ['dealer.example'],
  });
  const created = await createForm(deps, account.id, form);
  return {
    organizationId: organization,
    accountId: account.id,
    formId: created.id,
    formKey: created.public_key,
  };
}

export async function createMember(
  deps: ServiceDeps,
  email: string,
  accountId: string,
  role: 'owner' | 'admin' | 'contact_admin' | 'member',
): Promise<string> {
  const user = await createUser(deps, { email, password: 'correct horse battery' });
  await addMembership(deps, { userId: user.id, accountId, role });
  return user.id;
}

export const panelActor = (userId: string): Actor => ({ principal: { kind: 'user', userId }, via: 'panel' });

export const hamLead = (n: number, extra: Partial<Lead> = {}): Lead => ({
  channel: 'form',
  name: `Pat Buyer ${n}`,
  email: `pat${n}@buyer.example`,
  phone: `+1 (415) 555-${String(1000 + (n % 9000)).padStart(4, '0')}`,
  message: 'Is the blue 2021 Corolla still available for a test drive on Saturday?',
  ...extra,
});

export const spamLead = (n: number, extra: Partial<Lead> = {}): Lead => ({
  channel: 'form',
  name: `Promo ${n}`,
  email: `promo${n}@spam.example`,
  message: 'Win big at our online casino today',
  ...extra,
});
