// The top bar's quarantine count, polled so it follows new spam and releases without a reload.
import { useEffect, useState } from 'preact/hooks';
import { fetchQuarantineCount } from '../api/endpoints.ts';
import { Link } from './link.tsx';

const pollMs = 15_000;
const refreshEvent = 'leadguard:quarantine-changed';

/** Pages call this after an action that changes the quarantine, so the badge does not wait for the next poll. */
export function announceQuarantineChange(): void {
  window.dispatchEvent(new Event(refreshEvent));
}

export function QuarantineBadge({
  accountId,
  current,
}: {
  readonly accountId: string;
  readonly current: boolean;
}) {
  const [count, setCount] = useState<number | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    const load = () => {
      // Hidden tabs skip the poll; the count refreshes when the tab comes back.
      if (document.visibilityState === 'hidden') return;
      fetchQuarantineCount(accountId).then(
        (answer) => {
          if (!stopped) setCount(answer.count);
        },
        () => undefined,
      );
    };
    load();
    const timer = window.setInterval(load, pollMs);
    window.addEventListener(refreshEvent, load);
    document.addEventListener('visibilitychange', load);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      window.removeEventListener(refreshEvent, load);
      document.removeEventListener('visibilitychange', load);
    };
  }, [accountId]);
  const label = count === undefined ? 'Quarantine' : `Quarantine, ${count} ${count === 1 ? 'lead' : 'leads'}`;
  return (
    <Link to="/quarantine" class="nav-link quarantine-link" current={current} label={label}>
      Quarantine
      {count !== undefined && (
        <span
          class={count > 0 ? 'badge badge-alert' : 'badge'}
          data-testid="quarantine-count"
          aria-hidden="true"
        >
          {count}
        </span>
      )}
    </Link>
  );
}
