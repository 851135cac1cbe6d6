// The one way an endpoint is made. A route declares its input and output schemas, which
// institution's data it touches and a handler that returns a value or throws an HttpError;
// the router does the rest the same way for every route: bearer token, zod validation with
// field names, the institution's existence (ids of another institution will answer 404 once
// the access issue checks permissions here), the response schema in tests, and the error
// shape. The OpenAPI document is built from the same declarations (openapi.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import type { Institution as InstitutionRow } from '@dp/db';
import type { FieldErrors } from '@dp/protocol';
import type { ApiDeps } from './deps.ts';
import { HttpError, badRequest, logUnexpected, notFound } from './errors.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Error statuses a route may answer besides 400/401/500 (documented in OpenAPI). */
export type ErrorStatus = 404 | 409 | 413 | 422;

type AnyObject = z.ZodObject;
type NoInput = z.ZodObject<Record<string, never>>;

/** Who acts. Until sign-in every call is made with the admin token, so it is the system. */
export interface Actor {
  type: 'staff' | 'system';
  /** The staff user's id; null for the system. */
  id: string | null;
}
const ADMIN_TOKEN_ACTOR: Actor = { type: 'system', id: null };

export interface RouteInput<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  deps: ApiDeps;
}

/** Says which institution's data a call touches: from the path, or looked up from the record (throw notFound when missing). */
export type InstitutionResolver<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> = (
  input: RouteInput<P, Q, B>,
) => string | Promise<string>;

export interface HandlerContext<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, Scoped extends boolean> extends RouteInput<
  P,
  Q,
  B
> {
  /** The institution the call touches (loaded once by the router), or null on department-level routes. */
  institution: Scoped extends true ? InstitutionRow : null;
  actor: Actor;
}

export interface RouteDefinition<
  R extends z.ZodType,
  S extends InstitutionResolver<P, Q, B> | null,
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
> {
  /** Stable, dotted: the access issue's permission matrix is keyed by it (also the operationId). */
  name: string;
  method: HttpMethod;
  /** Express style, relative to /api: '/institutions/:institutionId/staff'. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Default 200. */
  status?: 200 | 201;
  errors?: readonly ErrorStatus[];
  /**
   * Which institution's data the route touches; null only for department-level routes
   * (listing and creating institutions), which the access issue grants to admins.
   */
  institution: S;
  handler: (ctx: HandlerContext<P, Q, B, S extends null ? false : true>) => Promise<z.input<R>>;
}

/** A route with its types erased, as the registry, the router and the OpenAPI builder see it. */
export interface ApiRoute {
  name: string;
  method: HttpMethod;
  path: string;
  summary: string;
  description: string | undefined;
  tag: string;
  params: AnyObject | undefined;
  query: AnyObject | undefined;
  body: z.ZodType | undefined;
  response: z.ZodType;
  status: number;
  errors: readonly ErrorStatus[];
  institution: ((input: RouteInput<AnyObject, AnyObject, z.ZodType>) => string | Promise<string>) | null;
  handler: (ctx: HandlerContext<AnyObject, AnyObject, z.ZodType, boolean>) => Promise<unknown>;
}

/** Declares a route (see RouteDefinition); checked at once, so an incomplete one never reaches the registry. */
export function defineRoute<
  R extends z.ZodType,
  S extends InstitutionResolver<P, Q, B> | null,
  P extends AnyObject = NoInput,
  Q extends AnyObject = NoInput,
  B extends z.ZodType = z.ZodUndefined,
>(def: RouteDefinition<R, S, P, Q, B>): ApiRoute {
  const route: ApiRoute = {
    name: def.name,
    method: def.method,
    path: def.path,
    summary: def.summary,
    description: def.description,
    tag: def.tag,
    params: def.params,
    query: def.query,
    body: def.body,
    response: def.response,
    status: def.status ?? 200,
    errors: def.errors ?? [],
    institution: def.institution as ApiRoute['institution'],
    handler: def.handler as unknown as ApiRoute['handler'],
  };
  checkRoute(route);
  return route;
}

const NAME = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;

/** What every route must have; the registry runs it again on whatever it is given. */
export function checkRoute(route: ApiRoute): void {
  const where = `route ${JSON.stringify(route.name ?? '?')} (${route.method?.toUpperCase()} ${route.path})`;
  if (typeof route.name !== 'string' || !NAME.test(route.name))
    throw new Error(`${where}: name must be dotted lower case, e.g. 'consultations.reschedule'`);
  if (typeof route.summary !== 'string' || route.summary.trim() === '') throw new Error(`${where}: summary is missing`);
  if (typeof route.tag !== 'string' || route.tag.trim() === '') throw new Error(`${where}: tag is missing`);
  if (!route.response || typeof (route.response as { safeParse?: unknown }).safeParse !== 'function')
    throw new Error(`${where}: response schema is missing`);
  if (typeof route.path !== 'string' || !route.path.startsWith('/')) throw new Error(`${where}: path must start with /`);
  const pathParams = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const declared = Object.keys(route.params?.shape ?? {});
  if (pathParams.sort().join() !== declared.sort().join())
    throw new Error(`${where}: params schema must declare exactly ${pathParams.join(', ') || 'nothing'}`);
  if (route.institution !== null && typeof route.institution !== 'function')
    throw new Error(`${where}: institution must be a function or null`);
}

/** Every route, checked together: names and method + path are unique. */
export class RouteRegistry {
  readonly routes: readonly ApiRoute[];
  constructor(routes: readonly ApiRoute[]) {
    const names = new Set<string>();
    const endpoints = new Set<string>();
    for (const r of routes) {
      checkRoute(r);
      const endpoint = `${r.method} ${r.path.replace(/:[A-Za-z]+/g, ':')}`;
      if (names.has(r.name)) throw new Error(`route name ${r.name} is used twice`);
      if (endpoints.has(endpoint)) throw new Error(`${r.method.toUpperCase()} ${r.path} is registered twice`);
      names.add(r.name);
      endpoints.add(endpoint);
    }
    this.routes = [...routes];
  }
}

export interface MountOptions {
  /** Parse every response with its schema and fail with 500 when it does not match (default: in tests, NODE_ENV=test). */
  checkResponses?: boolean;
}

/** Mounts the registry's routes on `router` behind the admin token, with the shared error handler. */
export function mountRoutes(router: Router, registry: RouteRegistry, deps: ApiDeps, options: MountOptions = {}): void {
  const checkResponses = options.checkResponses ?? process.env.NODE_ENV === 'test';
  // Per route, not router.use(): wherever the router is mounted, paths it does not own
  // (/api/health, /api/links/:token …) stay public and fall through untouched.
  const auth = requireAdminToken(deps.adminToken);
  const json = express.json({ limit: '64kb' });
  for (const route of registry.routes) router[route.method](route.path, auth, json, runRoute(route, deps, checkResponses));
  router.use(errorHandler(deps));
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Until sign-in: `Authorization: Bearer <ADMIN_API_TOKEN>`, compared in constant time (both sides hashed to equal length). */
function requireAdminToken(adminToken: string) {
  if (adminToken.length < 16) throw new Error('the admin API token must be at least 16 characters');
  const expected = sha256(adminToken);
  return (req: Request, _res: Response, next: NextFunction) => {
    const match = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '');
    if (match && timingSafeEqual(sha256(match[1]!), expected)) return next();
    next(new HttpError(401, 'unauthenticated', 'send Authorization: Bearer <admin API token>'));
  };
}

function runRoute(route: ApiRoute, deps: ApiDeps, checkResponses: boolean) {
  return async (req: Request, res: Response) => {
    res.locals.route = route.name;
    const input = { ...parseInput(route, req), deps };
    let institution: InstitutionRow | null = null;
    if (route.institution) {
      const id = await route.institution(input);
      institution = await deps.prisma.institution.findUnique({ where: { id } });
      if (!institution) throw notFound('institution');
      // The access issue checks here that the signed-in user may call `route.name` for this institution.
    }
    const result = await route.handler({ ...input, institution, actor: ADMIN_TOKEN_ACTOR });
    if (checkResponses) assertResponse(route, result);
    res.status(route.status).json(result);
  };
}

/** Params, query and body validated together, so one answer names every wrong field. */
function parseInput(route: ApiRoute, req: Request): { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown } {
  const fields: FieldErrors = {};
  const part = (schema: z.ZodType | undefined, value: unknown, prefix: string, root: string): unknown => {
    if (!schema) return prefix === '' ? undefined : {};
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      const key = issue.path.length > 0 ? prefix + issue.path.map(String).join('.') : root;
      fields[key] ??= issue.message;
    }
    return undefined;
  };
  const params = part(route.params, req.params, 'params.', 'params') as Record<string, unknown>;
  const query = part(route.query, req.query, 'query.', 'query') as Record<string, unknown>;
  const body = part(route.body, req.body, '', 'body');
  if (Object.keys(fields).length > 0) throw badRequest(fields);
  return { params, query, body };
}

/** Only field paths go into the error (no values), so it may be logged. */
class ResponseSchemaError extends Error {
  override name = 'ResponseSchemaError';
}

function assertResponse(route: ApiRoute, result: unknown): void {
  const r = route.response.safeParse(result);
  if (!r.success) {
    const paths = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ');
    throw new ResponseSchemaError(`response of ${route.name} does not match its schema: ${paths}`);
  }
}

function errorHandler(deps: ApiDeps) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof HttpError) {
      if (err.status === 401) res.set('WWW-Authenticate', 'Bearer');
      res.status(err.status).json(err.body());
      return;
    }
    // body-parser's errors (express.json): malformed JSON, too large, unsupported charset.
    const bodyError = err as { type?: unknown; status?: unknown };
    if (typeof bodyError?.type === 'string' && typeof bodyError.status === 'number' && bodyError.status < 500) {
      const tooLarge = bodyError.type === 'entity.too.large';
      const e = tooLarge
        ? new HttpError(413, 'payload_too_large', 'the body is larger than 64 KB')
        : new HttpError(400, 'bad_request', 'body: not valid JSON', { body: 'not valid JSON' });
      res.status(e.status).json(e.body());
      return;
    }
    const route = typeof res.locals.route === 'string' ? res.locals.route : 'unknown';
    if (err instanceof ResponseSchemaError) deps.log.error({ route, err: err.message }, 'response schema violated');
    else logUnexpected(deps.log, err, route);
    res.status(500).json(new HttpError(500, 'internal', 'internal error').body());
  };
}
