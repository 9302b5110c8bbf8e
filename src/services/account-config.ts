// Loads an account's (and form's) configuration from the database and compiles it once per config version.
import { findAccountById, findConfigVersions, findFormsByIds } from '../db/repositories/accounts.ts';
import type { AccountRow, FormRow } from '../db/repositories/accounts.ts';
import { listKeywords, listRules, listSegments } from '../db/repositories/rules.ts';
import type { Db } from '../db/database.ts';
import { compileConfig } from '../engine/compile.ts';
import type { CompiledConfig } from '../engine/compile.ts';
import type { AccountConfigInput, ConfigLayer, RuleDimension } from '../engine/config.ts';
import type { ServiceDeps } from './deps.ts';

export interface AccountContext {
  readonly version: number;
  readonly account: AccountRow;
  readonly form: FormRow | undefined;
  readonly compiled: CompiledConfig;
}

/**
 * How long a config version read from the database is trusted. Changes made through this process are seen at
 * once (they forget the version); changes made by another instance are seen within this time.
 */
export const configVersionTtlMs = 1000;

interface ContextState {
  /** Rows gathered per (account, form, version); the compiled part lives in the engine's CompiledConfigCache. */
  readonly contexts: Map<string, AccountContext>;
  readonly versions: Map<string, { version: number; checkedAt: number }>;
}

const states = new WeakMap<object, ContextState>();

function stateOf(deps: ServiceDeps): ContextState {
  let state = states.get(deps.configCache);
  if (!state) {
    state = { contexts: new Map(), versions: new Map() };
    states.set(deps.configCache, state);
  }
  return state;
}

/** Called after this process changed an account's rules, keywords, segments or settings. */
export function forgetConfigVersion(deps: ServiceDeps, accountId: string): void {
  stateOf(deps).versions.delete(accountId);
}

async function currentVersions(
  deps: ServiceDeps,
  db: Db,
  accountIds: readonly string[],
): Promise<Map<string, number>> {
  const state = stateOf(deps);
  const now = Date.now();
  const result = new Map<string, number>();
  const stale: string[] = [];
  for (const id of accountIds) {
    const known = state.versions.get(id);
    if (known && now - known.checkedAt < configVersionTtlMs) result.set(id, known.version);
    else stale.push(id);
  }
  if (stale.length > 0) {
    if (state.versions.size > 100_000) state.versions.clear();
    for (const [id, version] of await findConfigVersions(db, stale)) {
      state.versions.set(id, { version, checkedAt: now });
      result.set(id, version);
    }
  }
  return result;
}

/** Builds the engine's input from the stored rows. */
export async function loadAccountConfigInput(
  db: Db,
  account: AccountRow,
  form: FormRow | undefined,
): Promise<AccountConfigInput> {
  const [rules, keywords, segments] = await Promise.all([
    listRules(db, account.id),
    listKeywords(db, account.id),
    listSegments(db, account.id),
  ]);
  const settings = account.settings as ConfigLayer;
  return {
    ...settings,
    siteDomains: [...account.site_domains, ...(form?.site_domains ?? [])],
    rules: rules.map((rule) => ({
      id: rule.id,
      action: rule.action,
      dimension: rule.dimension,
      value: rule.value,
    })),
    keywords: keywords.map((keyword) => ({ id: keyword.id, phrase: keyword.phrase })),
    segments: segments.map((segment) => ({ ...(segment.definition as object), name: segment.name }) as never),
    allowlistOnly: account.allowlist_only as RuleDimension[],
    form: form ? (form.settings as ConfigLayer) : undefined,
  };
}

/** The compiled configuration for each (account, form) pair, recompiling only those whose version moved. */
export async function loadAccountContexts(
  deps: ServiceDeps,
  db: Db,
  pairs: readonly { accountId: string; formId: string | null }[],
): Promise<Map<string, AccountContext>> {
  const map = stateOf(deps).contexts;
  const versions = await currentVersions(deps, db, [...new Set(pairs.map((p) => p.accountId))]);
  const result = new Map<string, AccountContext>();
  const missing: { key: string; accountId: string; formId: string | null; version: number }[] = [];
  for (const pair of pairs) {
    const key = `${pair.accountId}:${pair.formId ?? ''}`;
    if (result.has(key) || missing.some((m) => m.key === key)) continue;
    const version = versions.get(pair.accountId);
    if (version === undefined) continue;
    const cached = map.get(key);
    if (cached && cached.version === version) result.set(key, cached);
    else missing.push({ key, accountId: pair.accountId, formId: pair.formId, version });
  }
  if (missing.length > 0) {
    const forms = await findFormsByIds(
      db,
      missing.flatMap((m) => (m.formId ? [m.formId] : [])),
    );
    for (const entry of missing) {
      const account = await findAccountById(db, entry.accountId);
      if (!account) continue;
      const form = forms.find((f) => f.id === entry.formId && f.account_id === entry.accountId);
      const input = await loadAccountConfigInput(db, account, form);
      const version = String(account.config_version);
      const compiled = deps.configCache.get(entry.key, version, () =>
        compileConfig(input, {
          version,
          instance: deps.instanceLayer,
          renderTokenSecret: deps.renderTokenSecret,
        }),
      );
      const context = { version: account.config_version, account, form, compiled };
      if (map.size > 10_000) map.clear();
      map.set(entry.key, context);
      result.set(entry.key, context);
    }
  }
  return result;
}

export const contextKey = (accountId: string, formId: string | null | undefined): string =>
  `${accountId}:${formId ?? ''}`;

/** Runs a change to accounts' configuration; this process sees the new version as soon as it settles. */
export async function afterConfigChange<T>(
  deps: ServiceDeps,
  accountIds: readonly string[],
  work: Promise<T>,
): Promise<T> {
  try {
    return await work;
  } finally {
    for (const id of accountIds) forgetConfigVersion(deps, id);
  }
}
