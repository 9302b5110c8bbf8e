// Loading, error and empty states, each announced to screen readers.
import type { ComponentChildren } from 'preact';

export function Loading({ what = 'Loading' }: { readonly what?: string }) {
  return (
    <p class="muted" role="status">
      {what}…
    </p>
  );
}

export function ErrorNotice({ error }: { readonly error: Error | string | undefined }) {
  if (!error) return null;
  return (
    <p class="notice notice-error" role="alert">
      {typeof error === 'string' ? error : error.message}
    </p>
  );
}

export function Empty({ children }: { readonly children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function Success({ children }: { readonly children: ComponentChildren }) {
  return (
    <p class="notice notice-ok" role="status">
      {children}
    </p>
  );
}
