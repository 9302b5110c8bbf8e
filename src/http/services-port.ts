// What the HTTP layer needs from the domain services: routes depend on this port, main wires the real services into it.
import type { Lead, Verdict } from '../engine/types.ts';

export type Role = 'owner' | 'admin' | 'contact_admin' | 'member';
/** What a route is about to do; `authorize` decides whether the principal's role allows it. */
export type Action = 'read' | 'review' | 'manage_rules' | 'manage_account';
export type Via = 'panel' | 'api' | 'email_link' | 'akismet' | 'system';

export type Principal =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'api_key'; readonly keyId: string; readonly accountId: string; readonly role: Role };

/** Who did something, for history events. */
export interface Actor {
  readonly principal: Principal;
  readonly via: Via;
}

/** What the public intake needs to know about a form. */
export interface PublicForm {
  readonly formKey: string;
  readonly accountId: string;
  readonly siteDomains: readonly string[];
  readonly honeypotField: string;
  readonly thankYouUrl: string | undefined;
  /** The account's per-IP frequency window (ms); the shipped default is 5 minutes. */
  readonly frequencyWindowMs?: number;
  /** Leads per IP inside the window above which a lead is over the limit (a flood); unset: no limit known here. */
  readonly frequencyLimit?: number;
}

/** Facts the HTTP layer gathers for the engine before the lead is screened. */
export interface IntakeFacts {
  /** Leads from this IP to this account inside the frequency window, this one included (the engine's `ipCount`). */
  readonly ipCount: number;
}

export interface IngestResult {
  readonly activityId: string;
  readonly verdict: Verdict;
}

export type LeadStatus = 'active' | 'quarantined' | 'deleted';
export type LeadView = 'inbox' | 'search' | 'quarantine' | 'recent';

export interface LeadQuery {
  readonly view: LeadView;
  readonly text?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly name?: string;
  readonly formId?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Spam is hidden everywhere but the quarantine unless asked for. */
  readonly includeSpam?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | undefined;
  readonly total?: number;
  /** The total stopped counting: there are more than `total`. */
  readonly totalCapped?: boolean;
}

export interface AccountSummary {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly organizationId?: string;
}

export interface Me {
  readonly user: { readonly id: string; readonly email: string; readonly name: string | undefined };
  /** The organizations of the accounts the user can open. */
  readonly organizations?: readonly { readonly id: string; readonly name: string }[];
  readonly accounts: readonly AccountSummary[];
}

export type ListKind = 'rules' | 'keywords' | 'segments' | 'forms';

export interface ReportQuery {
  readonly from: Date;
  readonly to: Date;
  readonly includeSpam?: boolean;
}

/** The calls routes make. Lookups by id take the account id so another tenant's ids are never found. */
export interface HttpServices {
  findPublicForm(formKey: string): Promise<PublicForm | undefined>;
  ingestLead(input: {
    readonly form: PublicForm;
    readonly lead: Lead;
    readonly facts: IntakeFacts;
    readonly receivedAt: Date;
  }): Promise<IngestResult>;

  verifyLogin(email: string, password: string): Promise<{ readonly userId: string } | undefined>;
  verifyApiKey(key: string): Promise<Extract<Principal, { kind: 'api_key' }> | undefined>;
  getMe(userId: string): Promise<Me | undefined>;
  /** An account's name, for API-key callers listing their one account. */
  getAccount?(accountId: string): Promise<{ readonly id: string; readonly name: string } | undefined>;
  /** The one server-side role check. */
  authorize(principal: Principal, accountId: string, action: Action): Promise<boolean>;

  /** Akismet comment-check: screens and stores the comment for the key's account. */
  checkComment(input: {
    readonly principal: Extract<Principal, { kind: 'api_key' }>;
    readonly lead: Lead;
    readonly facts: IntakeFacts;
    readonly isTest: boolean;
    readonly receivedAt: Date;
  }): Promise<IngestResult>;
  /** Akismet submit-spam / submit-ham: a training mark on the checked activity (by guid) or on the submitted fields. */
  reportComment(input: {
    readonly principal: Extract<Principal, { kind: 'api_key' }>;
    readonly lead: Lead;
    readonly guid: string | undefined;
    readonly label: 'spam' | 'ham';
    readonly receivedAt: Date;
  }): Promise<void>;

  listLeads(accountId: string, query: LeadQuery): Promise<Page<Record<string, unknown>>>;
  getLead(accountId: string, activityId: string): Promise<Record<string, unknown> | undefined>;
  countQuarantine(accountId: string): Promise<number>;
  markSpam(accountId: string, activityId: string, actor: Actor): Promise<boolean>;
  markNotSpam(accountId: string, activityId: string, actor: Actor): Promise<boolean>;
  blockEmailFromActivity(accountId: string, activityId: string, actor: Actor): Promise<boolean>;
  blockDomainFromActivity(accountId: string, activityId: string, actor: Actor): Promise<boolean>;
  deleteActivity(accountId: string, activityId: string, actor: Actor): Promise<boolean>;

  /** Rules, keywords, segments and forms share one CRUD shape; the route validates the body per kind. */
  listItems(
    kind: ListKind,
    accountId: string,
    query: { readonly text?: string },
  ): Promise<readonly Record<string, unknown>[]>;
  createItem(
    kind: ListKind,
    accountId: string,
    body: Record<string, unknown>,
    actor: Actor,
  ): Promise<Record<string, unknown>>;
  updateItem(
    kind: ListKind,
    accountId: string,
    id: string,
    body: Record<string, unknown>,
    actor: Actor,
  ): Promise<Record<string, unknown> | undefined>;
  deleteItem(kind: ListKind, accountId: string, id: string, actor: Actor): Promise<boolean>;

  getReport(accountId: string, query: ReportQuery): Promise<Record<string, unknown>>;

  /** True when the database answers. */
  checkDatabase(): Promise<boolean>;
}
