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

/** Rows gathered per (account, form, version); the compiled part lives in the engine's CompiledConfigCache. */
const contexts = new WeakMap<object, Map<string, AccountContext>>();

function contextMap(deps: ServiceDeps): Map<string, AccountContext> {
  let map = contexts.get(deps.configCache);
  if (!map) {
    map = new Map();
    contexts.set(deps.configCache, map);
  }
  return map;
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
  const map = contextMap(deps);
  const versions = await findConfigVersions(db, [...new Set(pairs.map((p) => p.accountId))]);
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
