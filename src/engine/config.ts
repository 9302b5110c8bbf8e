// Account configuration: its schema, the shipped defaults, and how layers (defaults < instance < account < form) merge.
import { z } from 'zod';

export const ruleDimensions = ['email', 'domain', 'phone', 'area_code', 'segment'] as const;
export type RuleDimension = (typeof ruleDimensions)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

export const ruleSchema = z.object({
  id: z.string().max(100).optional(),
  action: z.enum(['block', 'allow']),
  dimension: z.enum(ruleDimensions),
  value: text(320),
  note: z.string().max(1000).optional(),
});
export type RuleInput = z.infer<typeof ruleSchema>;

export const segmentConditionSchema = z.object({
  field: text(100),
  op: z.enum(['is', 'is_not', 'in', 'not_in', 'contains', 'exists', 'missing']),
  value: z.union([z.string().max(1000), z.array(z.string().max(1000)).max(1000)]).optional(),
});
export const segmentSchema = z.object({
  name: text(100),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(segmentConditionSchema).min(1).max(50),
});
export type SegmentInput = z.infer<typeof segmentSchema>;

export const checkSettingsSchema = z.object({
  enabled: z.boolean().optional(),
  score: z.number().finite().min(-100).max(100).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});
export type CheckSettings = z.infer<typeof checkSettingsSchema>;

/** The part of configuration that layers: each layer may override any of it. */
export const layerSchema = z.object({
  thresholds: z.object({ quarantine: z.number().finite().min(-100).max(1000).optional() }).optional(),
  checks: z.record(z.string(), checkSettingsSchema).optional(),
  /** Expected language of the form's visitors (BCP 47, e.g. `en`, `ru`); drives the script check. */
  language: z.string().max(20).optional(),
  frequency: z
    .object({
      limit: z.number().int().min(1).max(1_000_000).optional(),
      windowSeconds: z
        .number()
        .int()
        .min(1)
        .max(24 * 3600)
        .optional(),
    })
    .optional(),
  renderToken: z
    .object({
      minSeconds: z.number().min(0).max(3600).optional(),
      maxAgeSeconds: z
        .number()
        .min(1)
        .max(30 * 24 * 3600)
        .optional(),
    })
    .optional(),
});
export type ConfigLayer = z.infer<typeof layerSchema>;

/** An account's whole configuration as stored or written in `account.json`. */
export const accountConfigSchema = layerSchema.extend({
  siteDomains: z.array(text(253)).max(1000).default([]),
  keywords: z
    .array(z.union([text(200), z.object({ id: z.string().max(100).optional(), phrase: text(200) })]))
    .max(200_000)
    .default([]),
  rules: z.array(ruleSchema).max(1_000_000).default([]),
  segments: z.array(segmentSchema).max(1000).default([]),
  allowlistOnly: z.array(z.enum(ruleDimensions)).default([]),
  /** Form-level layer, the last word for one form. */
  form: layerSchema.optional(),
});
export type AccountConfigInput = z.input<typeof accountConfigSchema>;
export type AccountConfig = z.output<typeof accountConfigSchema>;

/** Shipped defaults: the first layer. */
export const shippedDefaults = {
  thresholds: { quarantine: 5 },
  language: undefined as string | undefined,
  frequency: { limit: 300, windowSeconds: 300 },
  renderToken: { minSeconds: 3, maxAgeSeconds: 24 * 3600 },
} as const;

export interface ResolvedSettings {
  readonly quarantineThreshold: number;
  readonly language: string | undefined;
  readonly frequency: { readonly limit: number; readonly windowSeconds: number };
  readonly renderToken: { readonly minSeconds: number; readonly maxAgeSeconds: number };
  readonly checks: ReadonlyMap<string, CheckSettings>;
}

/** Merges layers in order; later layers win field by field, check settings merge per check. */
export function resolveSettings(layers: readonly (ConfigLayer | undefined)[]): ResolvedSettings {
  let quarantineThreshold: number = shippedDefaults.thresholds.quarantine;
  let language: string | undefined = shippedDefaults.language;
  const frequency: { limit: number; windowSeconds: number } = { ...shippedDefaults.frequency };
  const renderToken: { minSeconds: number; maxAgeSeconds: number } = { ...shippedDefaults.renderToken };
  const checks = new Map<string, CheckSettings>();
  for (const layer of layers) {
    if (!layer) continue;
    quarantineThreshold = layer.thresholds?.quarantine ?? quarantineThreshold;
    language = layer.language ?? language;
    frequency.limit = layer.frequency?.limit ?? frequency.limit;
    frequency.windowSeconds = layer.frequency?.windowSeconds ?? frequency.windowSeconds;
    renderToken.minSeconds = layer.renderToken?.minSeconds ?? renderToken.minSeconds;
    renderToken.maxAgeSeconds = layer.renderToken?.maxAgeSeconds ?? renderToken.maxAgeSeconds;
    for (const [name, settings] of Object.entries(layer.checks ?? {})) {
      const before = checks.get(name);
      checks.set(name, {
        ...before,
        ...settings,
        options: { ...before?.options, ...settings.options },
      });
    }
  }
  return { quarantineThreshold, language, frequency, renderToken, checks };
}
