// Reads the operations of the served OpenAPI document and makes what a role walk sends: paths with real ids, sample bodies.

/** The least role an operation declares with `x-required-role` (set by `requires()` in src/http/plugins/auth.ts). */
export type RequiredRole = 'signed_in' | 'member' | 'contact_admin' | 'admin';
export type CallerRole = 'member' | 'contact_admin' | 'admin' | 'owner';

interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly format?: string;
  readonly nullable?: boolean;
}

interface OpenApiOperation {
  readonly 'x-required-role'?: string;
  readonly security?: readonly Readonly<Record<string, unknown>>[];
  readonly parameters?: readonly { readonly in: string; readonly name: string }[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
}

export interface Operation {
  /** `METHOD /path/{param}` as the document writes it. */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly requiredRole: RequiredRole | undefined;
  /** Declared for signed-in sessions only (no `apiKey` scheme in its security). */
  readonly sessionOnly: boolean;
  readonly queryParams: readonly string[];
  readonly body: JsonSchema | undefined;
}

const requiredRoles: readonly string[] = ['signed_in', 'member', 'contact_admin', 'admin'];
const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function listOperations(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([lower, operation]) => {
      const method = lower.toUpperCase();
      const declared = operation['x-required-role'];
      return {
        key: `${method} ${path}`,
        method,
        path,
        requiredRole: requiredRoles.includes(declared ?? '') ? (declared as RequiredRole) : undefined,
        sessionOnly:
          operation.security !== undefined && !operation.security.some((scheme) => 'apiKey' in scheme),
        queryParams: (operation.parameters ?? [])
          .filter((item) => item.in === 'query')
          .map((item) => item.name),
        body: operation.requestBody?.content?.['application/json']?.schema,
      };
    }),
  );
}

export function changesState(operation: Operation): boolean {
  return stateChanging.has(operation.method);
}

const rank: Readonly<Record<RequiredRole | CallerRole, number>> = {
  signed_in: 0,
  member: 1,
  contact_admin: 2,
  admin: 3,
  owner: 3,
};

/** Whether a caller with `role` on the account passes the operation's declared role. */
export function roleMayCall(role: CallerRole, required: RequiredRole): boolean {
  return rank[role] >= rank[required];
}

/** Replaces `{name}` in a document path by `ids[name]`; an id the walk does not know fails loudly. */
export function fillPath(path: string, ids: Readonly<Record<string, string>>): string {
  return path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const id = ids[name];
    if (id === undefined) throw new Error(`the role walk has no id for {${name}} in ${path}: add one`);
    return encodeURIComponent(id);
  });
}

/**
 * The smallest value the schema accepts: required properties only, first enum member or alternative, minimum
 * lengths. `pick` may answer for a property first (the walk uses it to put another tenant's ids in bodies).
 */
export function sampleOf(schema: JsonSchema, pick?: (property: string) => unknown, property = ''): unknown {
  const picked = pick?.(property);
  if (picked !== undefined) return picked;
  if (schema.enum) return schema.enum[0];
  const alternative = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (alternative) return sampleOf(alternative, pick, property);
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((name) => [name, sampleOf(schema.properties?.[name] ?? {}, pick, name)]),
      );
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items ?? {}, pick, property));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'email') return 'walk@sample.example';
      if (schema.format === 'uri') return 'https://sample.example/walk';
      return 'walk'.padEnd(schema.minLength ?? 0, '-');
    default:
      return schema.nullable ? null : 'walk';
  }
}

/**
 * Every non-HEAD route the app serves, read from Fastify's route tree (`printRoutes({ commonPrefix: false })`
 * prints one branch per line, each extending its parent's path), as `METHOD /path/{param}` keys.
 */
export function listServedRoutes(tree: string): string[] {
  const parents: string[] = [];
  const keys: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const parent = parents[depth - 1] ?? '';
    const segment = match[2] ?? '';
    // The tree prints a wildcard below its parent without the slash between them.
    const path = parent + (segment.startsWith('*') && !parent.endsWith('/') ? `/${segment}` : segment);
    parents[depth] = path;
    parents.length = depth + 1;
    const documented = path.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}');
    for (const method of (match[3] ?? '').split(', '))
      if (method !== 'HEAD' && method !== 'OPTIONS') keys.push(`${method} ${documented}`);
  }
  return keys;
}
