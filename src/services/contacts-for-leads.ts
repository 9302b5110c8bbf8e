// Finds or creates the contact of each lead in a batch: same account and same email, else same phone.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { fillContactKeys, findContactsByKeys, insertContacts } from '../db/repositories/contacts.ts';
import type { NewContactRow } from '../db/repositories/contacts.ts';
import type { PreparedLead } from '../engine/prepare.ts';
import { phoneKeyOf } from '../engine/rule-index.ts';
import type { ContactFields } from '../engine/types.ts';
import { cleanJson, cleanOptionalText } from './clean-value.ts';

export interface ContactKeys {
  readonly email: string | null;
  /** E.164 when the number parses (NANP numbers get their +1), else its digits. */
  readonly phone: string | null;
}

export function contactKeysOf(prepared: PreparedLead): ContactKeys {
  const email = prepared.email?.address ? cleanOptionalText(prepared.email.address, 320) : null;
  const digits = prepared.phone?.digits ?? '';
  const phone = digits.length >= 7 ? phoneKeyOf(digits, prepared.phone?.e164) : null;
  return { email, phone };
}

export interface ContactWanted extends ContactKeys {
  readonly accountId: string;
  readonly name: string;
  readonly fields: ContactFields | undefined;
}

class ContactIndex {
  readonly byEmail = new Map<string, string>();
  readonly byPhone = new Map<string, string>();
  /** Stored contacts' keys, to learn a key a contact did not have yet. */
  readonly stored = new Map<string, ContactKeys>();
  remember(accountId: string, email: string | null, phone: string | null, id: string): void {
    if (email && !this.byEmail.has(`${accountId}|${email}`)) this.byEmail.set(`${accountId}|${email}`, id);
    if (phone && !this.byPhone.has(`${accountId}|${phone}`)) this.byPhone.set(`${accountId}|${phone}`, id);
  }
  find(want: ContactWanted): string | undefined {
    return (
      (want.email && this.byEmail.get(`${want.accountId}|${want.email}`)) ||
      (want.phone && this.byPhone.get(`${want.accountId}|${want.phone}`)) ||
      undefined
    );
  }
}

/**
 * Returns each lead's contact id, in order, and the stored fields of contacts that already existed (segments
 * match on them); new contacts are inserted, stored ones learn a missing email or phone.
 */
export async function resolveContacts(
  db: Db,
  wanted: readonly ContactWanted[],
): Promise<{ ids: string[]; storedFields: Map<string, Record<string, unknown>> }> {
  const index = new ContactIndex();
  const storedFields = new Map<string, Record<string, unknown>>();
  const keys = wanted
    .filter((w) => w.email || w.phone)
    .map((w) => ({ account_id: w.accountId, email: w.email, phone: w.phone }));
  for (const row of await findContactsByKeys(db, keys)) {
    index.remember(row.account_id, row.email, row.phone, row.id);
    index.stored.set(row.id, { email: row.email, phone: row.phone });
    if (row.fields && Object.keys(row.fields).length > 0) storedFields.set(row.id, row.fields);
  }
  const created: NewContactRow[] = [];
  const fills: { id: string; account_id: string; email: string | null; phone: string | null }[] = [];
  const ids = wanted.map((want) => {
    const found = index.find(want);
    if (found) {
      const stored = index.stored.get(found);
      if (stored) {
        const email =
          !stored.email && want.email && !index.byEmail.has(`${want.accountId}|${want.email}`)
            ? want.email
            : null;
        const phone =
          !stored.phone && want.phone && !index.byPhone.has(`${want.accountId}|${want.phone}`)
            ? want.phone
            : null;
        if (email || phone) {
          fills.push({ id: found, account_id: want.accountId, email, phone });
          index.remember(want.accountId, email, phone, found);
          index.stored.set(found, { email: stored.email ?? email, phone: stored.phone ?? phone });
        }
      }
      return found;
    }
    const id = randomUUID();
    index.remember(want.accountId, want.email, want.phone, id);
    created.push({
      id,
      account_id: want.accountId,
      email: want.email,
      phone: want.phone,
      name: cleanOptionalText(want.name, 1000),
      fields: (cleanJson(want.fields ?? {}) ?? {}) as Record<string, unknown>,
    });
    return id;
  });
  await fillContactKeys(db, fills);
  if (created.length === 0) return { ids, storedFields };
  const inserted = await insertContacts(db, created);
  const lost = created.filter((row) => !inserted.has(row.id));
  if (lost.length === 0) return { ids, storedFields };
  // Another writer created the same contact meanwhile: use theirs.
  const winners = await findContactsByKeys(
    db,
    lost.map((row) => ({ account_id: row.account_id, email: row.email, phone: row.phone })),
  );
  const replaced = new Map<string, string>();
  for (const row of lost) {
    const winner = winners.find(
      (w) =>
        w.account_id === row.account_id &&
        ((row.email !== null && w.email === row.email) || (row.phone !== null && w.phone === row.phone)),
    );
    if (!winner) throw new Error('a contact could not be created or found');
    replaced.set(row.id, winner.id);
  }
  return { ids: ids.map((id) => replaced.get(id) ?? id), storedFields };
}
