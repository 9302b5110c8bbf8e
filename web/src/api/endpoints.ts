// Every JSON API call the panel makes, one function each, so the server's routes are listed in one place.
import {
  normalizeForm,
  normalizeHistory,
  normalizeLead,
  normalizeLeadDetail,
  normalizeReports,
  withHits,
} from './normalize.ts';
import { deleteApi, getApi, patchApi, postApi, putApi, setCsrfToken } from './client.ts';
import type {
  Account,
  ApiKey,
  CheckInfo,
  CloneSummary,
  Contact,
  Form,
  Keyword,
  LeadSummary,
  Me,
  NewApiKey,
  Page,
  Role,
  Rule,
  Segment,
  SetupStatus,
  TryResult,
} from './types.ts';

const v1 = '/api/v1';
const scoped = (accountId: string, rest: string) => `${v1}/accounts/${encodeURIComponent(accountId)}${rest}`;
const id = (value: string) => encodeURIComponent(value);

interface SessionAnswer {
  readonly authenticated: boolean;
  readonly csrfToken: string;
  readonly me?: Me;
}

/** The current session and a fresh CSRF token; every state change (sign-in included) sends the token back. */
export async function fetchSession(): Promise<SessionAnswer> {
  const answer = await getApi<SessionAnswer>(`${v1}/session`);
  setCsrfToken(answer.csrfToken);
  return answer;
}

export async function fetchSetupStatus(): Promise<SetupStatus> {
  return getApi<SetupStatus>(`${v1}/setup`);
}

export interface SetupInput {
  readonly organizationName: string;
  readonly accountName: string;
  readonly siteDomain: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

export async function createFirstOwner(input: SetupInput): Promise<void> {
  const answer = await postApi<SessionAnswer>(`${v1}/setup`, input);
  setCsrfToken(answer.csrfToken);
}

export async function logIn(email: string, password: string): Promise<Me | undefined> {
  const answer = await postApi<SessionAnswer>(`${v1}/session`, { email, password });
  setCsrfToken(answer.csrfToken);
  return answer.me;
}

export async function logOut(): Promise<void> {
  await deleteApi<void>(`${v1}/session`);
  setCsrfToken(undefined);
}

/** Changes the signed-in user's password; this session goes on with a fresh CSRF token, the user's others end. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const answer = await postApi<SessionAnswer>(`${v1}/me/password`, { currentPassword, newPassword });
  setCsrfToken(answer.csrfToken);
}

export const fetchAccounts = () => getApi<{ items: Account[] }>(`${v1}/accounts`);

export interface LeadQuery {
  readonly view: 'inbox' | 'search' | 'quarantine' | 'recent';
  readonly text?: string;
  /** Matched on digits only, so any formatting finds the number. */
  readonly phone?: string;
  readonly formId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly includeSpam?: boolean;
  readonly cursor?: string;
  readonly limit?: number;
}

export const fetchLeads = (accountId: string, query: LeadQuery) =>
  getApi<Page<LeadSummary>>(scoped(accountId, '/leads'), { ...query }).then((page) => ({
    ...page,
    items: page.items.map(normalizeLead),
  }));
export const fetchLead = (accountId: string, leadId: string) =>
  getApi<Record<string, unknown>>(scoped(accountId, `/leads/${id(leadId)}`)).then(normalizeLeadDetail);
export const fetchQuarantineCount = (accountId: string) =>
  getApi<{ count: number }>(scoped(accountId, '/quarantine/count'));

export type LeadAction = 'mark-spam' | 'mark-not-spam' | 'block-email' | 'block-domain' | 'delete';

export function applyLeadAction(accountId: string, leadId: string, action: LeadAction): Promise<unknown> {
  if (action === 'delete') return deleteApi(scoped(accountId, `/leads/${id(leadId)}`));
  return postApi(scoped(accountId, `/leads/${id(leadId)}/${action}`));
}

/** Puts a failed delivery back in the queue (contact admins and admins). */
export const resendDelivery = (accountId: string, deliveryId: string) =>
  postApi<unknown>(scoped(accountId, `/deliveries/${id(deliveryId)}/resend`));
export const fetchContact = (accountId: string, contactId: string) =>
  getApi<Contact>(scoped(accountId, `/contacts/${id(contactId)}`)).then((contact) => ({
    ...contact,
    activities: (contact.activities ?? []).map(normalizeLead),
    history: normalizeHistory(contact.history),
  }));

export const fetchRules = (accountId: string, q?: string) =>
  getApi<{ items: Rule[] }>(scoped(accountId, '/rules'), { q }).then((a) => ({
    items: a.items.map(withHits),
  }));
export const createRule = (accountId: string, rule: Omit<Rule, 'id' | 'hits'>) =>
  postApi<Rule>(scoped(accountId, '/rules'), rule);
export const updateRule = (accountId: string, ruleId: string, rule: Partial<Rule>) =>
  patchApi<Rule>(scoped(accountId, `/rules/${id(ruleId)}`), rule);
export const deleteRule = (accountId: string, ruleId: string) =>
  deleteApi(scoped(accountId, `/rules/${id(ruleId)}`));

export const fetchAllowlistOnly = (accountId: string) =>
  getApi<{ dimensions: string[] }>(scoped(accountId, '/allowlist-only'));
export const saveAllowlistOnly = (accountId: string, dimensions: readonly string[]) =>
  putApi(scoped(accountId, '/allowlist-only'), { dimensions });

export const fetchKeywords = (accountId: string, q?: string) =>
  getApi<{ items: Keyword[] }>(scoped(accountId, '/keywords'), { q }).then((a) => ({
    items: a.items.map(withHits),
  }));
export const createKeyword = (accountId: string, keyword: { phrase: string; note?: string }) =>
  postApi<Keyword>(scoped(accountId, '/keywords'), keyword);
export const updateKeyword = (
  accountId: string,
  keywordId: string,
  keyword: { phrase?: string; note?: string },
) => patchApi<Keyword>(scoped(accountId, `/keywords/${id(keywordId)}`), keyword);
export const deleteKeyword = (accountId: string, keywordId: string) =>
  deleteApi(scoped(accountId, `/keywords/${id(keywordId)}`));

export type TryInput =
  | {
      readonly kind: 'rule';
      readonly action: 'block' | 'allow';
      readonly dimension: string;
      readonly value: string;
    }
  | { readonly kind: 'keyword'; readonly phrase: string };
export const tryBeforeSave = (accountId: string, input: TryInput) =>
  postApi<TryResult>(scoped(accountId, '/try'), input).then((result) => ({
    ...result,
    activeLeads: result.activeLeads.map(normalizeLead),
  }));

export const fetchSegments = (accountId: string) =>
  getApi<{ items: Segment[] }>(scoped(accountId, '/segments'));
export const createSegment = (accountId: string, segment: Omit<Segment, 'id'>) =>
  postApi<Segment>(scoped(accountId, '/segments'), segment);
export const updateSegment = (accountId: string, segmentId: string, segment: Omit<Segment, 'id'>) =>
  patchApi<Segment>(scoped(accountId, `/segments/${id(segmentId)}`), segment);
export const deleteSegment = (accountId: string, segmentId: string) =>
  deleteApi(scoped(accountId, `/segments/${id(segmentId)}`));

export const fetchForms = (accountId: string) =>
  getApi<{ items: Form[] }>(scoped(accountId, '/forms')).then((a) => ({ items: a.items.map(normalizeForm) }));
export const createForm = (accountId: string, form: { name: string }) =>
  postApi<Form>(scoped(accountId, '/forms'), form);
export const updateForm = (accountId: string, formId: string, form: Partial<Form>) =>
  patchApi<Form>(scoped(accountId, `/forms/${id(formId)}`), form);
export const fetchChecks = () => getApi<{ items: CheckInfo[] }>(`${v1}/checks`);

export const cloneRules = (
  accountId: string,
  input: { ruleIds: readonly string[] | 'all'; targetAccountIds: string[] },
) => postApi<CloneSummary>(scoped(accountId, '/rules/clone'), input);

export const fetchReports = (
  accountId: string,
  query: { from?: string; to?: string; includeSpam?: boolean },
) => getApi<Record<string, unknown>>(scoped(accountId, '/reports'), query).then(normalizeReports);

export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly name?: string;
  readonly role: Role;
}

export const fetchMembers = (accountId: string) => getApi<{ items: Member[] }>(scoped(accountId, '/members'));
export const addMember = (
  accountId: string,
  member: { email: string; name?: string; password?: string; role: Role },
) => postApi<Member>(scoped(accountId, '/members'), member);
export const createSiblingAccount = (accountId: string, input: { name: string; siteDomain: string }) =>
  postApi<{ id: string; name: string }>(scoped(accountId, '/organization/accounts'), input);
export const removeMember = (accountId: string, userId: string) =>
  deleteApi<void>(scoped(accountId, `/members/${id(userId)}`));

export const fetchApiKeys = (accountId: string) =>
  getApi<{ items: ApiKey[] }>(scoped(accountId, '/api-keys'));
export const createApiKey = (accountId: string, input: { name: string; role: Role }) =>
  postApi<NewApiKey>(scoped(accountId, '/api-keys'), input);
export const revokeApiKey = (accountId: string, keyId: string) =>
  deleteApi<void>(scoped(accountId, `/api-keys/${id(keyId)}`));
