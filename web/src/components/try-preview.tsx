// "Try before you save": how many leads of the last 30 days a rule or keyword would have caught, and which are active.
import { useState } from 'preact/hooks';
import { tryBeforeSave } from '../api/endpoints.ts';
import type { TryInput } from '../api/endpoints.ts';
import type { TryResult } from '../api/types.ts';
import { useSession } from '../session.ts';
import { leadTitle } from './lead-table.tsx';
import { Link } from './link.tsx';
import { ErrorNotice } from './notice.tsx';

export function TryPreview({ input }: { readonly input: TryInput | undefined }) {
  const { account } = useSession();
  const [result, setResult] = useState<{ key: string; value: TryResult } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify(input ?? null);
  const run = async () => {
    if (!input) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult({ key, value: await tryBeforeSave(account.id, input) });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const current = result?.key === key ? result.value : undefined;
  return (
    <div class="try-preview">
      <button type="button" disabled={!input || busy} onClick={run}>
        {busy ? 'Trying…' : 'Try it on the last 30 days'}
      </button>
      <ErrorNotice error={error} />
      {current && (
        <div role="status" class="try-result">
          <p>
            Would have caught <strong>{current.caught}</strong> {current.caught === 1 ? 'lead' : 'leads'}; of
            them <strong>{current.active}</strong> {current.active === 1 ? 'is' : 'are'} currently active
            {current.active > 0 ? ' (possible false positives):' : '.'}
          </p>
          {current.activeLeads.length > 0 && (
            <ul class="compact-list">
              {current.activeLeads.slice(0, 10).map((lead) => (
                <li key={lead.id}>
                  <Link to={`/leads/${encodeURIComponent(lead.id)}`}>{leadTitle(lead)}</Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
