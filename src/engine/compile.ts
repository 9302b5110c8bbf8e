// Compiles an account's configuration once (keyword automaton, rule hash sets, layered settings) for reuse on every lead.
import { parse as parseDomain } from 'tldts';
import { accountConfigSchema, resolveSettings } from './config.ts';
import type { AccountConfigInput, ConfigLayer, ResolvedSettings, RuleDimension } from './config.ts';
import { compileKeywords } from './keyword-matcher.ts';
import type { KeywordMatcher } from './keyword-matcher.ts';
import { compileRules } from './rule-index.ts';
import type { RuleIndex } from './rule-index.ts';
import { EngineError } from './errors.ts';

export interface CompiledConfig {
  /** Identifies what was compiled; a cache hit needs the same version. */
  readonly version: string;
  readonly settings: ResolvedSettings;
  /** The account's own site domains, as registrable domains (`shop.example.com` → `example.com`). */
  readonly ownDomains: ReadonlySet<string>;
  readonly keywords: KeywordMatcher;
  readonly rules: RuleIndex;
  readonly allowlistOnly: ReadonlySet<RuleDimension>;
  /** Key that signs render tokens; without one the render token check disables itself. */
  readonly renderTokenSecret: string | undefined;
}

export interface CompileOptions {
  /** The instance layer, between shipped defaults and the account. */
  readonly instance?: ConfigLayer;
  readonly renderTokenSecret?: string;
  readonly version?: string;
}

/** Registrable domain of a host or URL-ish string, or the bare lower-cased host when it has none. */
export function toOwnDomain(value: string): string | undefined {
  const parsed = parseDomain(value.trim().toLowerCase());
  return parsed.domain ?? parsed.hostname ?? undefined;
}

/** Validates and compiles; invalid configuration is an `EngineError` that says which field is wrong. */
export function compileConfig(input: AccountConfigInput, options: CompileOptions = {}): CompiledConfig {
  const parsed = accountConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EngineError(
      'invalid_config',
      `account configuration: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const config = parsed.data;
  const ownDomains = new Set<string>();
  for (const site of config.siteDomains) {
    const domain = toOwnDomain(site);
    if (domain) ownDomains.add(domain);
  }
  return Object.freeze({
    version: options.version ?? 'unversioned',
    settings: resolveSettings([options.instance, config, config.form]),
    ownDomains,
    keywords: compileKeywords(config.keywords.map((k) => (typeof k === 'string' ? { phrase: k } : k))),
    rules: compileRules(config.rules, config.segments),
    allowlistOnly: new Set(config.allowlistOnly),
    renderTokenSecret: options.renderTokenSecret,
  });
}

/** Keeps one compiled configuration per key until its version changes. */
export class CompiledConfigCache {
  readonly #entries = new Map<string, CompiledConfig>();
  constructor(private readonly maxEntries = 10_000) {}

  get(key: string, version: string, load: () => CompiledConfig): CompiledConfig {
    const cached = this.#entries.get(key);
    if (cached && cached.version === version) return cached;
    const compiled = load();
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, compiled);
    return compiled;
  }

  invalidate(key: string): void {
    this.#entries.delete(key);
  }
}
