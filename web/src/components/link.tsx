// An in-panel link: a real <a href> (so it opens in a new tab and reads as a link) that navigates without reload.
import type { ComponentChildren } from 'preact';
import { followLink } from '../router.ts';

interface LinkProps {
  readonly to: string;
  readonly children: ComponentChildren;
  readonly class?: string;
  readonly current?: boolean;
  readonly label?: string;
}

export function Link({ to, children, class: className, current, label }: LinkProps) {
  return (
    <a
      href={to}
      class={className}
      aria-current={current ? 'page' : undefined}
      aria-label={label}
      onClick={(event) => followLink(event, to)}
    >
      {children}
    </a>
  );
}
