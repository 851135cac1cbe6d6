// One REST operation of the staff API (/api) as data: what the server mounts, what the web
// calls and what /api/openapi.json documents are all read from these entries (contract/index.ts
// collects them). An entry names its schemas (packages/protocol/src/api/*.ts) and the
// permission-matrix action it needs; the server adds only the handler and the resource
// look-ups (apps/signalling/src/api/route.ts).
import type { z } from 'zod';
import { grantsOf, isAction, type Action } from '../permissions.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Error statuses an operation may answer besides 400/401/403/500 (documented in OpenAPI). */
export type ErrorStatus = 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

export interface Operation {
  /** Stable, dotted ('consultations.reschedule'): the OpenAPI operationId and the web's `api.call` name. */
  name: string;
  /** The permission-matrix row the router checks (permissions.ts). */
  action: Action;
  method: HttpMethod;
  /** Express style, relative to /api: '/institutions/:institutionId/staff'. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  /** Default 200. */
  status?: 200 | 201;
  /**
   * A response that is not JSON (the handler answers the text, or the bytes of a file, and the
   * pipeline sends it with this type): the calendar's .ics, an XLSX or CSV export.
   */
  produces?:
    | 'text/calendar'
    | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    | 'text/csv; charset=utf-8'
    // A stored file (the protocol's): the handler sets the file's own Content-Type, which the pipeline keeps.
    | 'application/octet-stream';
  /**
   * A body that is not JSON: 'application/octet-stream' — the raw bytes of a file upload (no
   * multipart), up to `maxBodyBytes`; the body schema then checks a Uint8Array.
   */
  consumes?: 'application/octet-stream';
  /** The raw body's limit with `consumes` (the JSON routes keep the pipeline's 64 KB). */
  maxBodyBytes?: number;
  errors?: readonly ErrorStatus[];
  /**
   * True when the call touches one institution's data: the server resolves which (from the
   * path or the record) and answers 404 for another institution's ids. False only for
   * department-level operations, one's own account and the public ones.
   */
  institutionScoped: boolean;
}

/** Declares an operation, keeping its literal name and schema types (for the inferred client and server types). */
export function defineOperation<const O extends Operation>(op: O): O {
  return op;
}

/** Operations keyed by name: `{ 'consultations.get': {...}, … }`. */
export type ByName<T extends readonly Operation[]> = { [O in T[number] as O['name']]: O };

export function byName<const T extends readonly Operation[]>(ops: T): ByName<T> {
  return Object.fromEntries(ops.map((o) => [o.name, o])) as ByName<T>;
}

/** Express path → the names of its parameters, in order: '/a/:x/b/:y' → ['x', 'y']. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}

const NAME = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;

/** What every operation must have; throws naming the operation. */
export function checkOperation(op: Operation): void {
  const where = `operation ${JSON.stringify(op.name ?? '?')} (${op.method?.toUpperCase()} ${op.path})`;
  if (typeof op.name !== 'string' || !NAME.test(op.name))
    throw new Error(`${where}: name must be dotted lower case, e.g. 'consultations.reschedule'`);
  if (typeof op.summary !== 'string' || op.summary.trim() === '') throw new Error(`${where}: summary is missing`);
  if (typeof op.tag !== 'string' || op.tag.trim() === '') throw new Error(`${where}: tag is missing`);
  if (!op.response || typeof (op.response as { safeParse?: unknown }).safeParse !== 'function')
    throw new Error(`${where}: response schema is missing`);
  if (typeof op.path !== 'string' || !op.path.startsWith('/')) throw new Error(`${where}: path must start with /`);
  const declared = Object.keys(op.params?.shape ?? {});
  if (pathParams(op.path).sort().join() !== declared.sort().join())
    throw new Error(`${where}: params schema must declare exactly ${pathParams(op.path).join(', ') || 'nothing'}`);
  if (typeof op.action !== 'string' || !isAction(op.action))
    throw new Error(`${where}: no entry in the permission matrix (packages/protocol/src/permissions.ts) — add one`);
  const grants = Object.values(grantsOf(op.action));
  if (grants.includes('own') && !op.institutionScoped) throw new Error(`${where}: the 'own' scope needs an institution-scoped operation`);
  if (grants.includes('link') || grants.includes('participant'))
    throw new Error(`${where}: 'link' and 'participant' are socket scopes, not REST ones`);
}

/** Every operation checked, names and method + path unique. */
export function checkOperations(ops: readonly Operation[]): void {
  for (const op of ops) checkOperation(op);
  checkUnique(ops, 'operation');
}

/**
 * Throws when two entries share a name, or a method and a path (whatever their parameters
 * are called): the contract's operations, or the server's routes (`kind` names which).
 */
export function checkUnique(entries: readonly Pick<Operation, 'name' | 'method' | 'path'>[], kind: 'operation' | 'route'): void {
  const names = new Set<string>();
  const endpoints = new Set<string>();
  for (const e of entries) {
    const endpoint = `${e.method} ${e.path.replace(/:[A-Za-z]+/g, ':')}`;
    if (names.has(e.name)) throw new Error(`${kind} name ${e.name} is used twice`);
    if (endpoints.has(endpoint))
      throw new Error(`${e.method.toUpperCase()} ${e.path} is ${kind === 'route' ? 'registered' : 'declared'} twice`);
    names.add(e.name);
    endpoints.add(endpoint);
  }
}
