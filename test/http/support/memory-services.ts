// An in-memory HttpServices for HTTP tests and the HTTP-layer benchmark: the real engine, roles and tenants, with leads kept in memory instead of a database.
import { createHash, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { compileConfig } from '../../../src/engine/compile.ts';
import type { CompiledConfig } from '../../../src/engine/compile.ts';
import { screenLead } from '../../../src/engine/screen.ts';
import type { Lead, Verdict } from '../../../src/engine/types.ts';
import type {
  Action,
  Actor,
  HttpServices,
  ListKind,
  Principal,
  PublicForm,
  Role,
} from '../../../src/http/services-port.ts';

export interface StoredLead {
  id: string;
  accountId: string;
  status: 'active' | 'quarantined' | 'deleted';
  lead: Lead;
  outcome: 'ham' | 'quarantine';
  signals: readonly string[];
  history: { type: string; via: string }[];
  ipCount: number | undefined;
}

const can: Readonly<Record<Role, readonly Action[]>> = {
  owner: ['read', 'review', 'manage_rules', 'manage_account'],
  admin: ['read', 'review', 'manage_rules', 'manage_account'],
  contact_admin: ['read', 'review', 'manage_rules'],
  member: ['read'],
};

export class MemoryServices implements HttpServices {
  readonly #config: CompiledConfig;
  readonly #screen: boolean;
  /** `screen: false` stores every lead as ham without running the engine (the benchmark's HTTP-only row). */
  constructor(options: { renderTokenSecret?: string; screen?: boolean } = {}) {
    this.#config = compileConfig({ keywords: ['casino'] }, { renderTokenSecret: options.renderTokenSecret });
    this.#screen = options.screen ?? true;
  }
  readonly forms = new Map<string, PublicForm>();
  readonly leads: StoredLead[] = [];
  readonly users = new Map<
    string,
    { id: string; email: string; hash: string; memberships: Map<string, Role> }
  >();
  readonly apiKeys = new Map<string, Extract<Principal, { kind: 'api_key' }>>();
  readonly items = new Map<
    string,
    { id: string; kind: ListKind; accountId: string; body: Record<string, unknown> }
  >();
  readonly marks: { label: string; guid: string | undefined }[] = [];
  readonly accounts = new Map<string, string>();
  blockedEmails = new Set<string>();
  databaseUp = true;
  /** Makes every ingest wait, to hold a request in flight. */
  ingestDelayMs = 0;
  closed = false;

  addAccount(name: string): string {
    const id = randomUUID();
    this.accounts.set(id, name);
    return id;
  }
  addForm(accountId: string, form: Partial<PublicForm> = {}): PublicForm {
    const created: PublicForm = {
      formKey: randomUUID().replaceAll('-', ''),
      accountId,
      siteDomains: ['dealer.example'],
      honeypotField: 'lg_extra_notes',
      thankYouUrl: 'https://dealer.example/thanks',
      ...form,
    };
    this.forms.set(created.formKey, created);
    return created;
  }
  async addUser(email: string, password: string, memberships: Record<string, Role>): Promise<string> {
    const id = randomUUID();
    this.users.set(email, {
      id,
      email,
      hash: await hash(password),
      memberships: new Map(Object.entries(memberships)),
    });
    return id;
  }
  addApiKey(accountId: string, role: Role): string {
    const key = `lg_${randomUUID().replaceAll('-', '')}`;
    this.apiKeys.set(createHash('sha256').update(key).digest('hex'), {
      kind: 'api_key',
      keyId: randomUUID(),
      accountId,
      role,
    });
    return key;
  }

  async findPublicForm(formKey: string) {
    return this.forms.get(formKey);
  }
  #store(accountId: string, lead: Lead, ipCount?: number) {
    const verdict: Verdict = this.#screen
      ? screenLead(lead, this.#config, { now: Date.now(), ipCount })
      : { score: 0, outcome: 'ham', decidedBy: 'score', threshold: 5, signals: [] };
    const blocked = lead.email !== undefined && this.blockedEmails.has(lead.email.toLowerCase());
    const outcome = blocked ? 'quarantine' : verdict.outcome;
    const stored: StoredLead = {
      id: randomUUID(),
      accountId,
      status: outcome === 'ham' ? 'active' : 'quarantined',
      lead,
      outcome,
      history: [{ type: 'received', via: 'system' }],
      ipCount,
      signals: verdict.signals.map((signal) => signal.check),
    };
    this.leads.push(stored);
    return {
      activityId: stored.id,
      verdict: { ...verdict, outcome, decidedBy: blocked ? ('block_rule' as const) : verdict.decidedBy },
    };
  }
  async ingestLead(input: { form: PublicForm; lead: Lead; facts: { ipCount: number } }) {
    if (!this.databaseUp) throw new Error('database is down');
    if (this.ingestDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.ingestDelayMs));
    if (this.closed) throw new Error('database closed before the lead was stored');
    return this.#store(input.form.accountId, input.lead, input.facts.ipCount);
  }
  async verifyLogin(email: string, password: string) {
    const user = this.users.get(email);
    return user && (await verify(user.hash, password)) ? { userId: user.id } : undefined;
  }
  async verifyApiKey(key: string) {
    return this.apiKeys.get(createHash('sha256').update(key).digest('hex'));
  }
  #user(userId: string) {
    return [...this.users.values()].find((user) => user.id === userId);
  }
  async getMe(userId: string) {
    const user = this.#user(userId);
    if (!user) return undefined;
    return {
      user: { id: user.id, email: user.email, name: undefined },
      accounts: [...user.memberships].map(([id, role]) => ({ id, name: this.accounts.get(id) ?? id, role })),
    };
  }
  async authorize(principal: Principal, accountId: string, action: Action) {
    const role =
      principal.kind === 'api_key'
        ? principal.accountId === accountId
          ? principal.role
          : undefined
        : this.#user(principal.userId)?.memberships.get(accountId);
    return role !== undefined && can[role].includes(action);
  }
  async checkComment(input: {
    principal: Extract<Principal, { kind: 'api_key' }>;
    lead: Lead;
    facts: { ipCount: number };
  }) {
    return this.#store(input.principal.accountId, input.lead, input.facts.ipCount);
  }
  async reportComment(input: { label: 'spam' | 'ham'; guid: string | undefined }) {
    this.marks.push({ label: input.label, guid: input.guid });
  }
  #find(accountId: string, id: string) {
    return this.leads.find(
      (lead) => lead.id === id && lead.accountId === accountId && lead.status !== 'deleted',
    );
  }
  async listLeads(accountId: string, query: { view: string; includeSpam?: boolean; limit: number }) {
    const wanted = this.leads.filter(
      (lead) =>
        lead.accountId === accountId &&
        (query.view === 'quarantine'
          ? lead.status === 'quarantined'
          : lead.status === 'active' || (query.includeSpam === true && lead.status === 'quarantined')),
    );
    return {
      items: wanted.slice(0, query.limit).map((lead) => ({
        id: lead.id,
        status: lead.status,
        email: lead.lead.email,
        message: lead.lead.message,
      })),
      nextCursor: undefined,
      total: wanted.length,
    };
  }
  async getLead(accountId: string, id: string) {
    const found = this.#find(accountId, id);
    return found
      ? {
          id: found.id,
          status: found.status,
          fields: found.lead.fields,
          name: found.lead.name,
          email: found.lead.email,
        }
      : undefined;
  }
  async countQuarantine(accountId: string) {
    return this.leads.filter((lead) => lead.accountId === accountId && lead.status === 'quarantined').length;
  }
  #change(accountId: string, id: string, actor: Actor, type: string, status?: StoredLead['status']) {
    const found = this.#find(accountId, id);
    if (!found) return Promise.resolve(false);
    if (status) found.status = status;
    found.history.push({ type, via: actor.via });
    return Promise.resolve(true);
  }
  markSpam(accountId: string, id: string, actor: Actor) {
    return this.#change(accountId, id, actor, 'marked_spam', 'quarantined');
  }
  markNotSpam(accountId: string, id: string, actor: Actor) {
    return this.#change(accountId, id, actor, 'marked_not_spam', 'active');
  }
  async blockEmailFromActivity(accountId: string, id: string, actor: Actor) {
    const email = this.#find(accountId, id)?.lead.email;
    if (email) this.blockedEmails.add(email.toLowerCase());
    return this.#change(accountId, id, actor, 'rule_added');
  }
  blockDomainFromActivity(accountId: string, id: string, actor: Actor) {
    return this.#change(accountId, id, actor, 'rule_added');
  }
  deleteActivity(accountId: string, id: string, actor: Actor) {
    return this.#change(accountId, id, actor, 'deleted', 'deleted');
  }
  async listItems(kind: ListKind, accountId: string) {
    return [...this.items.values()]
      .filter((item) => item.kind === kind && item.accountId === accountId)
      .map((item) => ({ id: item.id, ...item.body }));
  }
  async createItem(kind: ListKind, accountId: string, body: Record<string, unknown>) {
    const item = { id: randomUUID(), kind, accountId, body };
    this.items.set(item.id, item);
    return { id: item.id, ...body };
  }
  async updateItem(kind: ListKind, accountId: string, id: string, body: Record<string, unknown>) {
    const item = this.items.get(id);
    if (!item || item.kind !== kind || item.accountId !== accountId) return undefined;
    item.body = { ...item.body, ...body };
    return { id, ...item.body };
  }
  async deleteItem(kind: ListKind, accountId: string, id: string) {
    const item = this.items.get(id);
    if (!item || item.kind !== kind || item.accountId !== accountId) return false;
    return this.items.delete(id);
  }
  async getReport(accountId: string) {
    return {
      accountId,
      active: this.leads.filter((lead) => lead.accountId === accountId && lead.status === 'active').length,
    };
  }
  async checkDatabase() {
    return this.databaseUp;
  }
}
