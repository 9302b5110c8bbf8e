// Twilio-compatible voice webhook per form: verify the signature, store the call with its verdict, answer Reject or Dial.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  VoiceError,
  leadFromCall,
  parseVoiceRequest,
  renderCallTwiml,
  verifyTwilioSignature,
} from '../../integrations/voice.ts';
import type { VoiceCall } from '../../integrations/voice.ts';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../errors.ts';
import { needIntegration } from '../integration-port.ts';
import type { MaybeIntegrationServices } from '../integration-port.ts';
import { assertAllowed, requireAuth, requires } from '../plugins/auth.ts';

const formKeyPattern = /^[A-Za-z0-9_-]{1,100}$/;
const accountParams = z.object({ accountId: z.string().min(1).max(100) });
const settingsView = z.object({
  forwardingNumber: z.string().optional(),
  hasTwilioAuthToken: z.boolean(),
});
const settingsChange = z.object({
  forwardingNumber: z.string().max(40).nullable().optional(),
  twilioAuthToken: z.string().max(200).nullable().optional(),
});

/** Plain text, never TwiML: Twilio treats a non-2xx as a failed webhook and plays its own error or the fallback URL. */
function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(`${message}\n`);
}

/**
 * The URL Twilio signed: PUBLIC_URL (scheme, host and any prefix the proxy strips) followed by the path and
 * query exactly as received. Without PUBLIC_URL, the request's own protocol and host (behind a proxy, set both).
 */
export function signedUrlOf(request: FastifyRequest, publicUrl: string | undefined): string {
  const base = publicUrl ? publicUrl.replace(/\/+$/, '') : `${request.protocol}://${request.host}`;
  return `${base}${request.url}`;
}

/** The POST parameters as strings; undefined when any value is not a single string (Twilio sends none such). */
function stringParams(body: unknown): Record<string, string> | undefined {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) return undefined;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') return undefined;
    params[name] = value;
  }
  return params;
}

export async function registerVoiceRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const services = deps.services as MaybeIntegrationServices;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(app, deps);

  typed.get(
    '/api/v1/accounts/:accountId/voice',
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['calls'],
        summary: "The account's call settings (the Twilio auth token is write-only)",
        params: accountParams,
        response: { 200: settingsView },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      const view = await needIntegration(services, 'getVoiceSettings')(request.params.accountId);
      if (!view) throw new HttpError('not_found');
      return view;
    },
  );

  typed.put(
    '/api/v1/accounts/:accountId/voice',
    {
      onRequest: auth,
      schema: {
        ...requires('manage_account'),
        tags: ['calls'],
        summary:
          'Set the forwarding number and Twilio auth token the voice webhook POST /api/v1/voice/{formKey} uses (null clears one)',
        params: accountParams,
        body: settingsChange,
        response: { 200: settingsView },
      },
    },
    async (request) => {
      await assertAllowed(deps, request, request.params.accountId, 'manage_account');
      const view = await needIntegration(services, 'setVoiceSettings')(
        request.params.accountId,
        request.body,
      );
      if (!view) throw new HttpError('not_found');
      return view;
    },
  );

  app.post<{ Params: { formKey: string } }>(
    '/api/v1/voice/:formKey',
    { schema: { hide: true } },
    async (request, reply) => {
      const { formKey } = request.params;
      if (!formKeyPattern.test(formKey)) return refuse(reply, 404, 'no form has this key');
      const found = await needIntegration(services, 'findVoiceForm')(formKey);
      if (!found) return refuse(reply, 404, 'no form has this key');
      const authToken = found.twilioAuthToken ?? deps.config.twilioAuthToken;
      if (!authToken) {
        request.log.warn(
          { accountId: found.form.accountId },
          'voice webhook: no Twilio auth token configured',
        );
        return refuse(reply, 403, 'calls cannot be verified: no Twilio auth token is configured');
      }
      const params = stringParams(request.body);
      if (!params) return refuse(reply, 400, 'send the webhook as form fields');
      const signature = request.headers['x-twilio-signature'];
      // Nothing from an unsigned request is read or stored.
      const signed = verifyTwilioSignature({
        authToken,
        signature: typeof signature === 'string' ? signature : undefined,
        url: signedUrlOf(request, deps.config.publicUrl),
        params,
      });
      if (!signed) return refuse(reply, 403, 'invalid X-Twilio-Signature');
      let call: VoiceCall;
      try {
        call = parseVoiceRequest(params);
      } catch (error) {
        if (error instanceof VoiceError) return refuse(reply, 400, error.message);
        throw error;
      }
      const { activityId, verdict } = await needIntegration(
        services,
        'ingestCall',
      )({
        form: found.form,
        lead: leadFromCall(call),
        receivedAt: new Date(),
        callSid: call.callSid,
      });
      let twiml: string;
      try {
        twiml = renderCallTwiml(verdict, found.forwardingNumber ?? '');
      } catch (error) {
        if (!(error instanceof VoiceError)) throw error;
        // The caller hears busy rather than an error; staff must set a valid forwarding number.
        request.log.warn(
          { accountId: found.form.accountId, activityId },
          'voice webhook: no valid forwarding number',
        );
        twiml = renderCallTwiml({ outcome: 'quarantine' }, '');
      }
      return reply.type('text/xml; charset=utf-8').send(twiml);
    },
  );
}
