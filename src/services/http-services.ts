// The domain services bound to their dependencies, shaped as the HTTP layer's services port (and the panel's extras).
import { findAccountById, findFormByPublicKey } from '../db/repositories/accounts.ts';
import type { Actor, HttpServices, ListKind, PublicForm } from '../http/services-port.ts';
import type { PanelServices } from '../http/routes/panel-services.ts';
import type { IntegrationServices } from '../http/integration-port.ts';
import type { ConfigLayer } from '../engine/config.ts';
import { resolveSettings } from '../engine/config.ts';
import { createFirstOwner, needsSetup } from './accounts.ts';
import { createAccountServices } from './accounts-http.ts';
import { ServiceError } from './errors.ts';
import { reportComment } from './akismet.ts';
import { authorize, getMe, isUuid, verifyApiKey, verifyLogin } from './auth.ts';
import { cloneRules } from './clone-rules.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { createIngestBatcher } from './ingest-batcher.ts';
import type { IngestBatcherOptions } from './ingest-batcher.ts';
import { countQuarantine, getContact, getLead, listLeads } from './leads.ts';
import { createItem, deleteItem, listItems, updateItem } from './lists.ts';
import {
  addMember,
  createSiblingAccount,
  getAllowlistOnly,
  listMembers,
  setAllowlistOnly,
} from './members.ts';
import { createIntegrationServices } from './integration-services.ts';
import { getReport } from './reports.ts';
import { isBusyAddress } from '../counters/busy-address.ts';
import {
  blockDomainFromActivity,
  blockEmailFromActivity,
  deleteActivity,
  markNotSpam,
  markSpam,
} from './review.ts';
import { tryRule } from './try-rule.ts';

export type DomainServices = HttpServices & PanelServices & IntegrationServices & { drain(): Promise<void> };

/** The public form as the HTTP layer sees it; `formId` rides along so ingest needs no second lookup. */
export interface StoredPublicForm extends PublicForm {
  readonly formId: string;
}

export function toActorRef(actor: Actor): ActorRef {
  return { userId: actor.principal.kind === 'user' ? actor.principal.userId : null, via: actor.via };
}

/** Ids arrive from URLs; anything that is not a UUID can name no row, so it is answered before reaching SQL. */
const ids = (...values: string[]) => values.every(isUuid);
const noAccount = () => new ServiceError('not_found', 'no such account');

export function createDomainServices(deps: ServiceDeps, batching: IngestBatcherOptions = {}): DomainServices {
  const batcher = createIngestBatcher(deps, batching);
  // An Akismet call names no form: the instance's limit decides its lane (the account's own limit still decides
  // its verdict, in ingest). The lane only orders work, so a limit raised by one account costs it no lead.
  const apiFrequencyLimit = resolveSettings([deps.instanceLayer]).frequency.limit;
  const review =
    (fn: typeof markSpam) =>
    (accountId: string, activityId: string, actor: Actor): Promise<boolean> =>
      ids(accountId, activityId)
        ? fn(deps, accountId, activityId, toActorRef(actor))
        : Promise.resolve(false);

  return {
    ...createIntegrationServices(deps),
    ...createAccountServices(deps),
    drain: () => batcher.drain(),

    async findPublicForm(formKey) {
      if (formKey.length > 200) return undefined;
      const row = await findFormByPublicKey(deps.db, formKey);
      if (!row) return undefined;
      const account = await findAccountById(deps.db, row.account_id);
      const settings = resolveSettings([
        deps.instanceLayer,
        row.account_settings as ConfigLayer,
        row.settings as ConfigLayer,
      ]);
      const form: StoredPublicForm = {
        formId: row.id,
        formKey: row.public_key,
        accountId: row.account_id,
        siteDomains: [...new Set([...row.site_domains, ...(account?.site_domains ?? [])])],
        honeypotField: row.honeypot_field,
        thankYouUrl: row.thank_you_url ?? undefined,
        frequencyWindowMs: settings.frequency.windowSeconds * 1000,
        frequencyLimit: settings.frequency.limit,
      };
      return form;
    },

    async ingestLead({ form, lead, facts, receivedAt }) {
      const stored = form as Partial<StoredPublicForm>;
      let formId = stored.formId;
      if (!formId) formId = (await findFormByPublicKey(deps.db, form.formKey))?.id;
      // A flood's leads are committed after the legitimate ones waiting (ingest decides their verdict by the limit).
      const lane = isBusyAddress(facts.ipCount, form.frequencyLimit) ? 'over_limit' : 'normal';
      const result = await batcher.ingest(
        { accountId: form.accountId, formId: formId ?? null, lead, ipCount: facts.ipCount, receivedAt },
        lane,
      );
      return { activityId: result.activityId, verdict: result.verdict };
    },

    verifyLogin: (email, password) => verifyLogin(deps, email, password),
    verifyApiKey: (key) => verifyApiKey(deps, key),
    getMe: (userId) => getMe(deps, userId),
    async getAccount(accountId) {
      if (!isUuid(accountId)) return undefined;
      const account = await findAccountById(deps.db, accountId);
      return account && { id: account.id, name: account.name };
    },
    authorize: (principal, accountId, action) => authorize(deps, principal, accountId, action),

    async checkComment({ principal, lead, facts, receivedAt }) {
      const result = await batcher.ingest(
        {
          accountId: principal.accountId,
          formId: null,
          lead,
          ipCount: facts.ipCount,
          receivedAt,
          via: 'akismet',
        },
        isBusyAddress(facts.ipCount, apiFrequencyLimit) ? 'over_limit' : 'normal',
      );
      return { activityId: result.activityId, verdict: result.verdict };
    },
    reportComment: ({ principal, lead, guid, label }) =>
      reportComment(deps, { accountId: principal.accountId, lead, guid, label }),

    listLeads: (accountId, query) =>
      ids(accountId)
        ? listLeads(deps, accountId, query)
        : Promise.resolve({ items: [], nextCursor: undefined, total: 0 }),
    getLead: (accountId, activityId) =>
      ids(accountId, activityId) ? getLead(deps, accountId, activityId) : Promise.resolve(undefined),
    countQuarantine: (accountId) => (ids(accountId) ? countQuarantine(deps, accountId) : Promise.resolve(0)),
    markSpam: review(markSpam),
    markNotSpam: review(markNotSpam),
    blockEmailFromActivity: review(blockEmailFromActivity),
    blockDomainFromActivity: review(blockDomainFromActivity),
    deleteActivity: review(deleteActivity),

    listItems: (kind: ListKind, accountId, query) =>
      ids(accountId) ? listItems(deps, kind, accountId, query.text) : Promise.resolve([]),
    createItem: (kind, accountId, body, actor) =>
      ids(accountId)
        ? createItem(deps, kind, accountId, body, toActorRef(actor))
        : Promise.reject(noAccount()),
    updateItem: (kind, accountId, id, body, actor) =>
      ids(accountId)
        ? updateItem(deps, kind, accountId, id, body, toActorRef(actor))
        : Promise.resolve(undefined),
    deleteItem: (kind, accountId, id, actor) =>
      ids(accountId) ? deleteItem(deps, kind, accountId, id, toActorRef(actor)) : Promise.resolve(false),

    getReport: (accountId, query) =>
      ids(accountId) ? getReport(deps, accountId, query) : Promise.reject(noAccount()),

    async checkDatabase() {
      try {
        await deps.db.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },

    needsSetup: () => needsSetup(deps),
    async createFirstOwner(input) {
      const created = await createFirstOwner(deps, input);
      return created && { userId: created.userId };
    },
    getContact: (accountId, contactId) =>
      ids(accountId, contactId) ? getContact(deps, accountId, contactId) : Promise.resolve(undefined),
    tryRule: (accountId, input, since) =>
      ids(accountId) ? tryRule(deps, accountId, input, since) : Promise.reject(noAccount()),
    cloneRules: (accountId, input, actor) =>
      ids(accountId) ? cloneRules(deps, accountId, input, toActorRef(actor)) : Promise.reject(noAccount()),
    listMembers: (accountId) => (ids(accountId) ? listMembers(deps, accountId) : Promise.reject(noAccount())),
    addMember: (accountId, member, actor) =>
      ids(accountId) ? addMember(deps, accountId, member, toActorRef(actor)) : Promise.reject(noAccount()),
    createSiblingAccount: (accountId, input, actor) =>
      ids(accountId)
        ? createSiblingAccount(deps, accountId, input, toActorRef(actor))
        : Promise.reject(noAccount()),
    getAllowlistOnly: (accountId) =>
      ids(accountId) ? getAllowlistOnly(deps, accountId) : Promise.reject(noAccount()),
    setAllowlistOnly: (accountId, dimensions, actor) =>
      ids(accountId)
        ? setAllowlistOnly(deps, accountId, dimensions, toActorRef(actor))
        : Promise.reject(noAccount()),
  };
}
