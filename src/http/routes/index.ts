// Every route group of the service, registered in this order by buildApp; add a group with one line.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { registerAccountItemRoutes } from './account-items.ts';
import { registerAkismetRoutes } from './akismet.ts';
import { registerDeliveryRoutes } from './deliveries.ts';
import { registerEmailFlagRoutes } from './email-flag.ts';
import { registerEmbedRoute } from './embed.ts';
import { registerHealthRoute } from './health.ts';
import { registerLeadRoutes } from './leads.ts';
import { registerPanelApiRoutes } from './panel-api.ts';
import { panelStaticRoutes } from './panel-static.ts';
import { registerPublicFormRoutes } from './public-forms.ts';
import { registerSessionRoutes } from './session.ts';
import { registerVoiceRoutes } from './voice.ts';
import { registerWebhookEndpointRoutes } from './webhook-endpoints.ts';

export type RouteGroup = (app: FastifyInstance, deps: RouteDeps) => Promise<void>;

export const routeGroups: readonly RouteGroup[] = [
  registerHealthRoute,
  registerEmbedRoute,
  registerPublicFormRoutes,
  registerAkismetRoutes,
  registerSessionRoutes,
  registerLeadRoutes,
  registerAccountItemRoutes,
  registerPanelApiRoutes,
  registerDeliveryRoutes,
  registerEmailFlagRoutes,
  registerVoiceRoutes,
  registerWebhookEndpointRoutes,
  (app) => panelStaticRoutes(app),
];
