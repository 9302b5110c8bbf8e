// What the panel's own routes need from the services beyond the main port: first-run setup, contacts, backtests, cloning.
import type { RuleDimension } from '../../engine/config.ts';
import { HttpError } from '../errors.ts';
import type { Actor, HttpServices, Me, Role } from '../services-port.ts';
import type { AccountServices } from './account-services.ts';

export interface FirstOwnerInput {
  readonly organizationName: string;
  readonly accountName: string;
  readonly siteDomain: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

export type TryInput =
  | {
      readonly kind: 'rule';
      readonly action: 'block' | 'allow';
      readonly dimension: RuleDimension;
      readonly value: string;
    }
  | { readonly kind: 'keyword'; readonly phrase: string };

export interface TryResult {
  /** Leads of the window the rule or keyword would have caught. */
  readonly caught: number;
  /** Of them, how many are active now: the false positives to think about. */
  readonly active: number;
  readonly activeLeads: readonly Record<string, unknown>[];
}

export interface CloneRulesInput {
  readonly ruleIds: readonly string[] | 'all';
  readonly targetAccountIds: readonly string[];
}

export interface CloneSummary {
  readonly created: number;
  readonly skipped: number;
  readonly segmentsCreated: number;
  readonly perAccount: readonly {
    readonly accountId: string;
    readonly created: number;
    readonly skipped: number;
    readonly segmentsCreated: number;
  }[];
}

export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly name?: string;
  readonly role: Role;
}

export interface NewMember {
  readonly email: string;
  readonly name?: string;
  /** Needed when the email has no user yet; an existing user keeps their password. */
  readonly password?: string;
  readonly role: Role;
}

/** Optional on the services object: a server wired without one of them answers 503 for that route, never a crash. */
export interface PanelServices extends AccountServices {
  /** True while no user exists: the first visitor may create the organization, account and owner. */
  needsSetup(): Promise<boolean>;
  /** Creates the first organization, account and owner; undefined when setup was already done. */
  createFirstOwner(input: FirstOwnerInput): Promise<{ readonly userId: string } | undefined>;
  getContact(accountId: string, contactId: string): Promise<Record<string, unknown> | undefined>;
  tryRule(accountId: string, input: TryInput, since: Date): Promise<TryResult>;
  cloneRules(accountId: string, input: CloneRulesInput, actor: Actor): Promise<CloneSummary>;
  listMembers(accountId: string): Promise<readonly Member[]>;
  /** Adds the user (created when new) to the account with the role, or changes the role of a member. */
  addMember(accountId: string, member: NewMember, actor: Actor): Promise<Member>;
  /** A new account in the same organization as `accountId`; the acting user becomes its owner. */
  createSiblingAccount(
    accountId: string,
    input: { readonly name: string; readonly siteDomain: string },
    actor: Actor,
  ): Promise<{ readonly id: string; readonly name: string }>;
  getAllowlistOnly(accountId: string): Promise<readonly RuleDimension[]>;
  setAllowlistOnly(accountId: string, dimensions: readonly RuleDimension[], actor: Actor): Promise<void>;
}

export type MaybePanelServices = HttpServices & Partial<PanelServices>;
export type { Me };

/** The named service bound to its object; 503 with a clear message when this server was wired without it. */
export function needService<K extends keyof PanelServices>(
  services: MaybePanelServices,
  name: K,
): PanelServices[K] {
  const method = services[name];
  if (typeof method !== 'function')
    throw new HttpError('unavailable', `This server has no ${String(name)} service wired.`);
  return method.bind(services) as PanelServices[K];
}
