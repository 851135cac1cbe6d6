// The contract, the registry and the document generated from the contract: every contract
// entry has its route, every route documented with the schemas it validates with and the
// permission matrix's row, and the served document says what the contract says.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { createPrisma, type PrismaClient } from '@dp/db';
import {
  SESSION_COOKIE,
  contract,
  operations,
  pathParams,
  permissions,
  violationCodes,
  type Action,
  type Operation as ContractOperation,
  type OperationName,
} from '@dp/protocol';
import { VIOLATION_CODES } from '@dp/scheduling';
import {
  apiRoutes,
  buildOpenApiDocument,
  defineRoute,
  routeHandlers,
  RouteRegistry,
  type ApiRoute,
  type RouteTable,
} from '../../src/api/index.ts';
import { openApiPath } from '../../src/api/openapi.ts';
import { createTestDatabase, startApi, type ApiUnderTest } from './support.ts';

interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { content: { 'application/json': { schema: unknown } } };
  responses: Record<string, { content?: { 'application/json': { schema: unknown } }; $ref?: string }>;
  security?: unknown[];
  'x-permissions': Record<string, string>;
  'x-institution-scoped': boolean;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, { type: string; in?: string; name?: string }>;
  };
  security: Record<string, unknown>[];
  tags: { name: string }[];
}

const PUBLIC = [
  'auth.password_link',
  'auth.set_password',
  'auth.sign_in',
  'feedback.get',
  'feedback.save',
  'links.answer',
  'links.calendar',
  'links.describe',
  'media.capabilities',
];

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let doc: Document;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 2 });
  api = await startApi({ prisma, now: new Date('2026-03-01T00:00:00Z') });
  const res = await api.call<Document>('GET', '/openapi.json', undefined, { as: null });
  expect(res.status).toBe(200);
  doc = res.body;
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

describe('GET /api/openapi.json', () => {
  test('is OpenAPI 3.1 with the session cookie required by default, served without signing in', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }),
    });
    expect(doc.security).toEqual([{ session: [] }]);
  });

  test('every operation carries its matrix row in x-permissions; public ones need no session', () => {
    const publicOps: string[] = [];
    for (const route of apiRoutes.routes) {
      const op = doc.paths[openApiPath(route.path)]![route.method]!;
      expect([route.name, op['x-permissions']]).toEqual([route.name, permissions[route.action]]);
      expect(op['x-institution-scoped']).toBe(route.institution !== null);
      if (op['x-permissions'].anyone === 'public') {
        publicOps.push(route.name);
        expect([route.name, op.security]).toEqual([route.name, []]);
        expect(op.responses['403']).toBeUndefined();
      } else {
        expect([route.name, op.security]).toEqual([route.name, undefined]); // the document's default: the session cookie
        expect(op.responses['401']).toEqual({ $ref: '#/components/responses/Unauthenticated' });
        expect(op.responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
      }
    }
    expect(publicOps.sort()).toEqual(PUBLIC);
  });

  test('lists every registered route with its parameters, body, response and errors', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(listed.sort()).toEqual(apiRoutes.routes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    for (const route of apiRoutes.routes) {
      const op = doc.paths[openApiPath(route.path)]![route.method]!;
      expect(op.operationId).toBe(route.name);
      expect(op.summary).toBe(route.summary);
      expect(op.tags).toEqual([route.tag]);
      expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(Object.keys(route.params?.shape ?? {}));
      expect(op.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(Object.keys(route.query?.shape ?? {}));
      expect(Boolean(op.requestBody)).toBe(Boolean(route.body));
      // JSON, or the file type the entry names (the calendar's text/calendar).
      const type = route.operation.produces ?? 'application/json';
      expect((op.responses[String(route.status)]?.content as Record<string, { schema: unknown }> | undefined)?.[type]?.schema).toBeTruthy();
      if (route.body) expect(op.responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    }
    expect(doc.tags.map((t) => t.name).sort()).toEqual([
      'account',
      'audit',
      'auth',
      'clients',
      'consultations',
      'health',
      'institutions',
      'journal',
      'links',
      'media',
      'protocol',
      'reports',
      'requests',
      'schedules',
      'staff',
    ]);
    // Sign-in answers 401 invalid_credentials (any wrong part) and 429 when locked.
    const signIn = doc.paths['/auth/sign-in']!.post!;
    expect(Object.keys(signIn.responses).sort()).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
  });

  test('the schemas are the zod ones: named components, the error shape, field constraints', () => {
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['ApiError', 'Consultation', 'Institution', 'JournalRequest', 'Violation']),
    );
    expect(doc.components.responses.Conflict).toEqual({
      description: expect.any(String),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
    });
    const create = doc.paths['/institutions/{institutionId}/consultations']!.post!;
    const body = create.requestBody!.content['application/json'].schema as {
      properties: Record<string, { maximum?: number }>;
      required: string[];
    };
    expect(body.properties.durationMinutes).toMatchObject({ type: 'integer', minimum: 1, maximum: 60 });
    expect(body.required).toEqual(expect.arrayContaining(['kind', 'direction', 'mode', 'specialistIds', 'start', 'durationMinutes']));
    // Every $ref resolves inside the document.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const [, section, name] = /#\/components\/(schemas|responses)\/([^"]+)"/.exec(ref) ?? [];
      expect([ref, section && name && (doc.components as Record<string, Record<string, unknown>>)[section]![name] !== undefined]).toEqual([
        ref,
        true,
      ]);
    }
  });
});

describe('the served document and the contract', () => {
  test('every contract entry is served with the same method, path, parameters, body and responses — and nothing else is', () => {
    const served = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(served.map((s) => s.op.operationId).sort()).toEqual(Object.keys(contract).sort());
    for (const entry of operations) {
      const op = doc.paths[openApiPath(entry.path)]?.[entry.method];
      expect([entry.name, op?.operationId]).toEqual([entry.name, entry.name]);
      expect([entry.name, op!.parameters.filter((p) => p.in === 'path').map((p) => p.name)]).toEqual([entry.name, pathParams(entry.path)]);
      expect([entry.name, op!.parameters.filter((p) => p.in === 'query').map((p) => p.name)]).toEqual([
        entry.name,
        Object.keys(entry.query?.shape ?? {}),
      ]);
      expect([entry.name, Boolean(op!.requestBody)]).toEqual([entry.name, Boolean(entry.body)]);
      const statuses = Object.keys(op!.responses).map(Number);
      expect([entry.name, statuses]).toEqual([entry.name, expect.arrayContaining([entry.status ?? 200, ...(entry.errors ?? [])])]);
      // The success answer's schema is the entry's response schema (a named component or inline).
      const content = op!.responses[String(entry.status ?? 200)]!.content as Record<string, { schema: unknown }>;
      const schema = content[('produces' in entry ? entry.produces : undefined) ?? 'application/json']!.schema;
      // A stored file (the protocol's) is its bytes, whatever its type.
      if (entry.produces === 'application/octet-stream') {
        expect([entry.name, schema]).toEqual([entry.name, { type: 'string', format: 'binary' }]);
        expect([entry.name, op!['x-permissions']]).toEqual([entry.name, permissions[entry.action]]);
        continue;
      }
      const {
        $schema: _s,
        $defs: _d,
        ...expected
      } = z.toJSONSchema(entry.response, { io: 'output', target: 'draft-2020-12' }) as Record<string, unknown>;
      const asServed = JSON.parse(JSON.stringify(expected).replaceAll('"#/$defs/', '"#/components/schemas/')) as unknown;
      expect([entry.name, schema]).toEqual([entry.name, asServed]);
      expect([entry.name, op!['x-permissions']]).toEqual([entry.name, permissions[entry.action]]);
    }
  });
});

describe('the registry', () => {
  // A test route borrows a contract entry with no `own` grant (institutions.list).
  const entry = contract['institutions.list'];
  const valid = defineRoute(entry, { handler: async () => ({ institutions: [] }) });
  const altered = (patch: Partial<ContractOperation>) => ({ ...entry, ...patch }) as unknown as ContractOperation;

  test('every contract entry has exactly one route, and the route is that entry', () => {
    expect(apiRoutes.routes.map((r) => r.name).sort()).toEqual(Object.keys(contract).sort());
    for (const r of apiRoutes.routes) expect([r.name, r.operation === contract[r.name as OperationName]]).toEqual([r.name, true]);
  });

  test('a contract entry without a handler does not compile, and does not start', () => {
    const { ['media.capabilities']: _left, ...incomplete } = routeHandlers;
    // @ts-expect-error: 'media.capabilities' is missing, and RouteTable asks for every contract entry.
    const table: RouteTable = incomplete;
    expect(() => new RouteRegistry(Object.values(table), contract)).toThrow(/no server handler for the contract's media.capabilities/);
    // A route built from a copy of an entry is not the contract's route.
    const copy = defineRoute(altered({}), { handler: async () => ({ institutions: [] }) } as never);
    const others = apiRoutes.routes.filter((r) => r.name !== 'institutions.list');
    expect(() => new RouteRegistry([...others, copy], contract)).toThrow(/is not the contract's entry/);
  });

  test('every route has a dotted name, a summary, a tag and a response schema', () => {
    for (const r of apiRoutes.routes) {
      expect(r.name).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(Object.hasOwn(permissions, r.action)).toBe(true);
      expect(r.summary.length).toBeGreaterThan(5);
      expect(r.response).toBeInstanceOf(z.ZodType);
    }
  });

  test('refuses a route without summary or response, a duplicate name or endpoint, or undeclared path parameters', () => {
    const broken = (patch: Partial<ApiRoute>) => () => new RouteRegistry([{ ...valid, ...patch } as ApiRoute]);
    expect(broken({ summary: '' })).toThrow(/summary is missing/);
    expect(broken({ response: undefined as unknown as z.ZodType })).toThrow(/response schema is missing/);
    expect(broken({ name: 'NoDots' })).toThrow(/name must be dotted/);
    expect(broken({ path: '/example/:id' })).toThrow(/params schema must declare exactly id/);
    expect(() => new RouteRegistry([valid, { ...valid, path: '/other' }])).toThrow(/used twice/);
    expect(() => new RouteRegistry([valid, { ...valid, name: 'institutions.create' }])).toThrow(/registered twice/);
    expect(() => defineRoute(altered({ summary: ' ' }), { handler: async () => ({ institutions: [] }) } as never)).toThrow(
      /summary is missing/,
    );
    expect(buildOpenApiDocument([altered({ path: '/example' })])).toMatchObject({
      paths: { '/example': { get: { operationId: 'institutions.list' } } },
    });
  });

  test('refuses a route the permission matrix does not know, and an `own` grant without owners()', () => {
    const unknown = { ...valid, name: 'tests.example', action: 'tests.example' } as unknown as ApiRoute;
    expect(() => new RouteRegistry([unknown])).toThrow(/no entry in the permission matrix/);
    expect(() =>
      defineRoute(altered({ name: 'tests.example', action: 'tests.example' as Action }), {
        handler: async () => ({ institutions: [] }),
      } as never),
    ).toThrow(/no entry in the permission matrix/);
    // consultations.get grants specialists `own`: the route must say who takes part.
    const own = {
      ...valid,
      name: 'consultations.get',
      action: 'consultations.get',
      institutionScoped: true,
      institution: () => 'x',
    } as ApiRoute;
    expect(() => new RouteRegistry([own])).toThrow(/needs owners\(\) or listsOwn/);
    // The contract says whether an institution resolver is needed; the route must agree.
    expect(() => new RouteRegistry([{ ...valid, institution: () => 'x' } as ApiRoute])).toThrow(/needs no institution resolver/);
    expect(() => new RouteRegistry([{ ...own, institution: null, listsOwn: true }])).toThrow(/needs an institution resolver/);
  });

  test("the protocol's violation codes are the scheduling package's", () => {
    expect([...violationCodes]).toEqual([...VIOLATION_CODES]);
  });
});
