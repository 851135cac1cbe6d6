// The registry and the document built from it: every route complete, every route documented
// with the schemas it validates with.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { InstitutionList, violationCodes } from '@dp/protocol';
import { VIOLATION_CODES } from '@dp/scheduling';
import { apiRoutes, buildOpenApiDocument, defineRoute, RouteRegistry, type ApiRoute } from '../../src/api/index.ts';
import { openApiPath } from '../../src/api/openapi.ts';
import { noDatabase, startApi, type ApiUnderTest } from './support.ts';

interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { content: { 'application/json': { schema: unknown } } };
  responses: Record<string, { content?: { 'application/json': { schema: unknown } }; $ref?: string }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, { type: string; scheme: string }>;
  };
  security: Record<string, unknown>[];
  tags: { name: string }[];
}

let api: ApiUnderTest;
let doc: Document;

beforeAll(async () => {
  api = await startApi({ prisma: noDatabase(), now: new Date('2026-03-01T00:00:00Z') });
  const res = await api.call<Document>('GET', '/openapi.json', undefined, { token: null });
  expect(res.status).toBe(200);
  doc = res.body;
});

afterAll(() => api?.close());

describe('GET /api/openapi.json', () => {
  test('is OpenAPI 3.1 with the bearer scheme required everywhere, served without a token', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ adminToken: [] }]);
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
      expect(op.responses[String(route.status)]?.content?.['application/json'].schema).toBeTruthy();
      expect(op.responses['401']).toEqual({ $ref: '#/components/responses/Unauthenticated' });
      if (route.body) expect(op.responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    }
    expect(doc.tags.map((t) => t.name).sort()).toEqual(['consultations', 'institutions', 'requests', 'schedules', 'staff']);
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

describe('the registry', () => {
  const valid = defineRoute({
    name: 'tests.example',
    method: 'get',
    path: '/example',
    summary: 'An example',
    tag: 'tests',
    response: InstitutionList,
    institution: null,
    handler: async () => ({ institutions: [] }),
  });

  test('every route has a dotted name, a summary, a tag and a response schema', () => {
    for (const r of apiRoutes.routes) {
      expect(r.name).toMatch(/^[a-z_]+\.[a-z_]+$/);
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
    expect(() => new RouteRegistry([valid, { ...valid, name: 'tests.other' }])).toThrow(/registered twice/);
    const definition = {
      name: 'tests.blank',
      method: 'get',
      path: '/blank',
      summary: ' ',
      tag: 'tests',
      response: InstitutionList,
      institution: null,
      handler: async () => ({ institutions: [] }),
    } as const;
    expect(() => defineRoute(definition)).toThrow(/summary is missing/);
    expect(buildOpenApiDocument(new RouteRegistry([valid]))).toMatchObject({
      paths: { '/example': { get: { operationId: 'tests.example' } } },
    });
  });

  test("the protocol's violation codes are the scheduling package's", () => {
    expect([...violationCodes]).toEqual([...VIOLATION_CODES]);
  });
});
