// Clone rules to other accounts of the organization: one rule, a selection or all; existing rules are never overwritten.
import { useState } from 'preact/hooks';
import { cloneRules, fetchRules } from '../api/endpoints.ts';
import type { CloneSummary } from '../api/types.ts';
import { Empty, ErrorNotice, Loading } from '../components/notice.tsx';
import { cloneTargets, useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';
import { dimensionLabels } from './rules-page.tsx';

export function ClonePage() {
  const { me, account } = useSession();
  const rules = useLoad(() => fetchRules(account.id), [account.id]);
  const targets = cloneTargets(me, account);
  const [ruleIds, setRuleIds] = useState<Set<string>>(new Set());
  const [all, setAll] = useState(false);
  const [targetIds, setTargetIds] = useState<Set<string>>(new Set());
  const [summary, setSummary] = useState<CloneSummary | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const toggle = (set: Set<string>, id: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSummary(undefined);
    try {
      setSummary(
        await cloneRules(account.id, {
          ruleIds: all ? 'all' : [...ruleIds],
          targetAccountIds: [...targetIds],
        }),
      );
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const items = rules.data?.items ?? [];
  const nameOf = (id: string) => me.accounts.find((a) => a.id === id)?.name ?? id;
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">Clone rules</h1>
      </div>
      <p class="muted">
        Copy rules from <strong>{account.name}</strong> to other accounts of the organization. Rules an
        account already has are skipped, never overwritten; a segment a rule needs is created there when the
        account has none of that name.
      </p>
      {targets.length === 0 ? (
        <Empty>There is no other account in this organization where you may edit rules.</Empty>
      ) : (
        <form onSubmit={submit} class="clone-form">
          <fieldset class="card">
            <legend>Rules to copy</legend>
            <label class="check">
              <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> The
              whole set ({items.length} {items.length === 1 ? 'rule' : 'rules'})
            </label>
            {rules.loading && !rules.data ? (
              <Loading what="Loading rules" />
            ) : items.length === 0 ? (
              <Empty>This account has no rules.</Empty>
            ) : (
              <ul class="check-list">
                {items.map((rule) => (
                  <li key={rule.id}>
                    <label class="check">
                      <input
                        type="checkbox"
                        disabled={all}
                        checked={all || ruleIds.has(rule.id)}
                        onChange={(e) => setRuleIds(toggle(ruleIds, rule.id, e.currentTarget.checked))}
                      />{' '}
                      {rule.action === 'block' ? 'Block' : 'Allow'}{' '}
                      {(dimensionLabels[rule.dimension] ?? rule.dimension).toLowerCase()}{' '}
                      <code>{rule.value}</code>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
          <fieldset class="card">
            <legend>Copy to</legend>
            <ul class="check-list">
              {targets.map((target) => (
                <li key={target.id}>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={targetIds.has(target.id)}
                      onChange={(e) => setTargetIds(toggle(targetIds, target.id, e.currentTarget.checked))}
                    />{' '}
                    {target.name}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <ErrorNotice error={error ?? rules.error} />
          <button
            type="submit"
            class="primary"
            disabled={busy || targetIds.size === 0 || (!all && ruleIds.size === 0)}
          >
            {busy ? 'Copying…' : 'Copy rules'}
          </button>
        </form>
      )}
      {summary && (
        <div class="card" role="status" aria-live="polite">
          <h2>Done</h2>
          <p>
            Created <strong>{summary.created}</strong> {summary.created === 1 ? 'rule' : 'rules'}, skipped{' '}
            <strong>{summary.skipped}</strong> that already existed
            {summary.segmentsCreated ? (
              <>
                , created <strong>{summary.segmentsCreated}</strong> segments
              </>
            ) : null}
            .
          </p>
          {summary.perAccount && (
            <ul>
              {summary.perAccount.map((row) => (
                <li key={row.accountId}>
                  {nameOf(row.accountId)}: {row.created} created, {row.skipped} skipped
                  {row.segmentsCreated ? `, ${row.segmentsCreated} segments created` : ''}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
