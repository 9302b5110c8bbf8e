// Binds the engine's render-token signer to this instance's secret for the token route.
import { renderTokenSecret } from '../config/keys.ts';
import { issueRenderToken } from '../engine/render-token.ts';

export function createRenderTokenIssuer(secretKey: string): (formKey: string, now: number) => string {
  const secret = renderTokenSecret(secretKey);
  return (formKey, now) => issueRenderToken({ secret, formKey, now });
}
