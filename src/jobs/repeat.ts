// One background round every interval: never two at once, errors reported, and stop waits for the round in hand.

export interface Repeating {
  stop(): Promise<void>;
}

/**
 * Runs `round` every `intervalMs` (and at once when `immediately`). A round still running when the next is due
 * makes that one skip rather than queue behind it. The timer alone does not keep a stopping process alive.
 */
export function repeatEvery(
  intervalMs: number,
  round: () => Promise<unknown>,
  options: { immediately?: boolean; onError?: (error: unknown) => void } = {},
): Repeating {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const tick = () => {
    if (busy || stopped) return;
    busy = true;
    running = round()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        busy = false;
      });
  };
  if (options.immediately) tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Reports the first failure of a run at once, then at most one every `everyMs` with how many it kept quiet in
 * between: a job that fails every round while the database is down logs once a minute, not every second.
 */
export function throttleErrors(
  report: (error: unknown, kept: number) => void,
  options: { readonly everyMs?: number; readonly now?: () => number } = {},
): (error: unknown) => void {
  const everyMs = options.everyMs ?? 60_000;
  const now = options.now ?? Date.now;
  let reportedAt = -Infinity;
  let kept = 0;
  return (error) => {
    const at = now();
    if (at - reportedAt < everyMs) {
      kept += 1;
      return;
    }
    report(error, kept);
    reportedAt = at;
    kept = 0;
  };
}
