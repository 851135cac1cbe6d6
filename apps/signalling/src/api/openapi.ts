// GET /api/openapi.json: an OpenAPI 3.1 document generated from the REST contract
// (packages/protocol/src/contract/), every schema converted from the same zod schemas the
// router validates with (z.toJSONSchema), so the document cannot drift from the code. Schemas with a `meta({ id })` become named
// components; their request-side rendering gets an `Input` suffix when it differs (defaults
// make fields optional on the way in).
import { z } from 'zod';
import { ApiErrorResponse, CSRF_HEADER, SESSION_COOKIE, grantOf, grantsOf, type ErrorStatus, type Operation } from '@dp/protocol';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

const DEFS_PREFIX = '#/$defs/';
const COMPONENTS_PREFIX = '#/components/schemas/';

/** Collects converted schemas and their named definitions, then points every $ref at components. */
class SchemaCollector {
  private readonly converted: { io: Io; json: Json }[] = [];
  private readonly defs: Record<Io, Map<string, Json>> = { input: new Map(), output: new Map() };

  convert(schema: z.ZodType, io: Io): Json {
    const {
      $schema: _ignored,
      $defs,
      ...json
    } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) as Json & { $defs?: Record<string, Json> };
    for (const [id, def] of Object.entries($defs ?? {})) {
      const known = this.defs[io].get(id);
      if (known && JSON.stringify(known) !== JSON.stringify(def)) throw new Error(`two different schemas have the id ${id}`);
      if (!known) {
        this.defs[io].set(id, def);
        this.converted.push({ io, json: def });
      }
    }
    this.converted.push({ io, json });
    return json;
  }

  private nameOf(io: Io, id: string): string {
    if (io === 'output') return id;
    const output = this.defs.output.get(id);
    return !output || JSON.stringify(output) === JSON.stringify(this.defs.input.get(id)) ? id : `${id}Input`;
  }

  /** Rewrites the $refs in place and returns components.schemas. */
  finish(): Record<string, Json> {
    for (const { io, json } of this.converted) rewriteRefs(json, (id) => COMPONENTS_PREFIX + this.nameOf(io, id));
    const schemas: Record<string, Json> = {};
    for (const io of ['output', 'input'] as const) {
      for (const [id, def] of this.defs[io]) schemas[this.nameOf(io, id)] ??= def;
    }
    return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  }
}

function rewriteRefs(node: unknown, target: (id: string) => string): void {
  if (Array.isArray(node)) node.forEach((n) => rewriteRefs(n, target));
  else if (node && typeof node === 'object') {
    const o = node as Json;
    if (typeof o.$ref === 'string' && o.$ref.startsWith(DEFS_PREFIX)) o.$ref = target(o.$ref.slice(DEFS_PREFIX.length));
    for (const v of Object.values(o)) rewriteRefs(v, target);
  }
}

const ERROR_RESPONSES: Record<ErrorStatus | 400 | 401 | 403 | 500, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: '`bad_request`: details maps each wrong field to its message' },
  401: {
    name: 'Unauthenticated',
    description:
      '`unauthenticated`: not signed in or the session ended; on sign-in `invalid_credentials` (any wrong e-mail, password or code)',
  },
  403: {
    name: 'Forbidden',
    description:
      '`forbidden`: the role may not; `csrf_failed`: no X-CSRF-Token; `totp_setup_required`: an admin must set up the second factor',
  },
  429: {
    name: 'TooManyAttempts',
    description:
      '`too_many_attempts`: sign-in is locked for details.retryAfterSeconds (Retry-After); `rate_limited`: a link asked too often (Retry-After)',
  },
  404: {
    name: 'NotFound',
    description: '`not_found`: unknown id, or one of another institution; `invalid_token`: a forged or malformed link',
  },
  410: { name: 'Gone', description: '`link_expired` or `link_revoked`: the link no longer admits anyone' },
  409: {
    name: 'Conflict',
    description: '`conflict`: stale version (details.currentVersion), the time is taken or the state forbids it (details.violations)',
  },
  413: { name: 'PayloadTooLarge', description: '`payload_too_large`: the body exceeds 64 KB (a file upload: its own limit, details.file)' },
  415: { name: 'UnsupportedFileType', description: '`unsupported_file_type`: the file is not of an allowed type (checked by content)' },
  422: { name: 'RuleViolation', description: '`rule_violation`: breaks timetable rules (details.violations) or a rule about a field' },
  500: { name: 'Internal', description: '`internal`: logged on the server' },
  503: { name: 'Unavailable', description: '`sfu_unavailable`: the media server is not connected' },
};

/** Statuses an operation can answer with an error: 400 with any input, 401 always, 404 when it touches an institution. */
export function errorStatuses(op: Operation): (keyof typeof ERROR_RESPONSES)[] {
  const isPublic = grantOf(op.action, 'anyone') === 'public';
  const statuses = new Set<keyof typeof ERROR_RESPONSES>([500, ...(op.errors ?? [])]);
  if (!isPublic) statuses.add(401).add(403);
  if (op.name === 'auth.sign_in') statuses.add(401);
  if (op.params || op.query || op.body) statuses.add(400);
  if (op.body) statuses.add(413);
  if (op.institutionScoped) statuses.add(404);
  return [...statuses].sort();
}

/** '/institutions/:institutionId' → '/institutions/{institutionId}'. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function parameters(collector: SchemaCollector, schema: z.ZodObject | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = collector.convert(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

export const TAG_DESCRIPTIONS: Record<string, string> = {
  institutions: 'Institutions (учреждения) and their working calendar',
  staff: 'Staff with accounts (clients have none)',
  schedules: "Specialists' monthly schedules and free slots",
  requests: 'The request journal (журнал регистрации заявок)',
  consultations: 'Consultations: booking, moving, cancelling; join links',
  auth: 'Sign-in, sign-out and one-time password links',
  account: "The signed-in user's own account: password, second factor, sessions",
  audit: 'The audit log (read-only)',
  health: "Live room health (the admins' dashboard; also pushed over socket.io /admin and served as Prometheus text at /metrics)",
  links: "A client's join link: what it is for (the link page; no sign-in, the link is the credential)",
  media: "The media server's capabilities for the browser's mediasoup Device (no sign-in)",
  reports:
    "Monthly reports: the institution's month, the resource centre's acceptance, the department's consolidated month and analytical note, exports",
};

/** The document of `operations` (the whole contract: `operations` of @dp/protocol). */
export function buildOpenApiDocument(operations: readonly Operation[]): Json {
  const collector = new SchemaCollector();
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations) {
    const status = op.status ?? 200;
    const operation: Json = {
      operationId: op.name,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      parameters: [...parameters(collector, op.params, 'path'), ...parameters(collector, op.query, 'query')],
      ...(op.body && op.consumes
        ? { requestBody: { required: true, content: { [op.consumes]: { schema: { type: 'string', format: 'binary' } } } } }
        : op.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: collector.convert(op.body, 'input') } } } }
          : {}),
      responses: {
        [String(status)]: {
          description: status === 201 ? 'Created' : 'OK',
          content: {
            [op.produces ?? 'application/json']: {
              schema:
                op.produces === 'application/octet-stream'
                  ? { type: 'string', format: 'binary' }
                  : collector.convert(op.response, 'output'),
            },
          },
        },
        ...Object.fromEntries(errorStatuses(op).map((s) => [String(s), { $ref: `#/components/responses/${ERROR_RESPONSES[s].name}` }])),
      },
      'x-institution-scoped': op.institutionScoped,
      'x-permissions': grantsOf(op.action),
      ...(grantOf(op.action, 'anyone') === 'public' ? { security: [] } : {}),
    };
    (paths[openApiPath(op.path)] ??= {})[op.method] = operation;
  }
  const errorSchema = collector.convert(ApiErrorResponse, 'output');
  const responses = Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description }) => [
      name,
      { description, content: { 'application/json': { schema: errorSchema } } },
    ]),
  );
  const tags = [...new Set(operations.map((r) => r.tag))].map((name) => ({
    name,
    ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
  }));
  return {
    openapi: '3.1.0',
    info: {
      title: '«Дистанционная приёмная»: staff REST API',
      version: '0.1.0',
      description:
        `Sign in with POST /auth/sign-in: it sets the httpOnly \`${SESSION_COOKIE}\` cookie and answers a CSRF token to send in the \`${CSRF_HEADER}\` header with every POST, PUT, PATCH and DELETE. ` +
        'Each operation lists who may call it in `x-permissions` (role → scope, packages/protocol/src/permissions.ts); ids of another institution answer 404. Instants are ISO 8601; ' +
        "local dates 'YYYY-MM-DD', months 'YYYY-MM' and times 'HH:mm' are in the institution's IANA time zone. " +
        'Errors: `{ error: { code, message, details? } }`.',
    },
    servers: [{ url: '/api' }],
    security: [{ session: [] }],
    tags,
    paths,
    components: {
      schemas: collector.finish(),
      responses,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie set by POST /auth/sign-in' },
      },
    },
  };
}
