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

/** The account's quarantine count, refreshed by a poll, by actions, and when the tab becomes visible. */
export function useQuarantineCount(accountId: string): number | undefined {
  const [count, setCount] = useState<number | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    setCount(undefined);
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
  return count;
}

interface BadgeProps {
  readonly count: number | undefined;
  readonly current: boolean;
  /** The compact variant sits in the top row at phone width, where the menu is folded. */
  readonly compact?: boolean;
}

export function QuarantineBadge({ count, current, compact }: BadgeProps) {
  // The name starts with the visible text ("Quarantine 3"), so speech-input users can say what they see.
  const label = count === undefined ? 'Quarantine' : `Quarantine ${count} ${count === 1 ? 'lead' : 'leads'}`;
  return (
    <Link
      to="/quarantine"
      class={compact ? 'nav-link quarantine-chip' : 'nav-link quarantine-link'}
      current={current}
      label={label}
    >
      {compact ? null : 'Quarantine '}
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
