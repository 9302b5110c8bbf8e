// Short-lived cache of public form lookups: every intake request needs its form, and forms change rarely.
import type { HttpServices, PublicForm } from './services-port.ts';

export interface FormCache {
  get(formKey: string): Promise<PublicForm | undefined>;
}

export function createFormCache(
  services: Pick<HttpServices, 'findPublicForm'>,
  ttlMs = 2000,
  maxEntries = 10_000,
): FormCache {
  const entries = new Map<string, { at: number; form: Promise<PublicForm | undefined> }>();
  return {
    get(formKey) {
      const now = Date.now();
      const hit = entries.get(formKey);
      if (hit && now - hit.at < ttlMs) return hit.form;
      if (entries.size >= maxEntries) entries.clear();
      const form = services.findPublicForm(formKey);
      entries.set(formKey, { at: now, form });
      // A failed lookup must not be remembered.
      form.catch(() => entries.delete(formKey));
      return form;
    },
  };
}

/** True when `origin` is one of the form's site domains or a subdomain of one. */
export function isOwnOrigin(origin: string | undefined, siteDomains: readonly string[]): boolean {
  if (!origin) return false;
  let host: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
    host = url.hostname.toLowerCase();
  } catch {
    return false;
  }
  return siteDomains.some((domain) => {
    const own = domain.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
    return host === own || host.endsWith(`.${own}`);
  });
}
