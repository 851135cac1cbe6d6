// The one way an endpoint is made. A route declares its input and output schemas, which
// institution's data it touches (and, for the `own` scope, who takes part in the record)
// and a handler that returns a value or throws an HttpError; the router does the rest the
// same way for every route: the session cookie, CSRF, zod validation with field names, the
// permission matrix (packages/protocol/src/permissions.ts) through access.ts's `decide`
// — 401, 403 for a role that may not, 404 for another institution's ids — an audit event
// for every denial, the response schema in tests, and the error shape. The OpenAPI
// document is built from the same declarations (openapi.ts).
import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { stringifySetCookie } from 'cookie';
import type { z } from 'zod';
import type { Institution as InstitutionRow } from '@dp/db';
import { CSRF_HEADER, SESSION_COOKIE, grantOf, grantsOf, isAction, type Action, type FieldErrors, type Scope } from '@dp/protocol';
import { decide, type Caller, type Subject } from '../auth/access.ts';
import { sessionTokenFrom, type StaffPrincipal } from '../auth/session-store.ts';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, badRequest, logUnexpected, notFound } from './errors.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Error statuses a route may answer besides 400/401/500 (documented in OpenAPI). */
export type ErrorStatus = 404 | 409 | 413 | 422 | 429;

type AnyObject = z.ZodObject;
type NoInput = z.ZodObject<Record<string, never>>;

/** Who acts, as the audit log records it. */
export interface Actor {
  type: 'staff' | 'system';
  /** The staff user's id; null for the system (and for anonymous calls such as a failed sign-in). */
  id: string | null;
  /** The caller's address (behind TRUST_PROXY: the client's). */
  ip?: string | null;
}

/** The verdict the router reached, for handlers whose query depends on the scope. */
export interface RouteAccess {
  /** The signed-in member of staff; null on public routes. */
  caller: StaffPrincipal | null;
  scope: Scope;
  /** With the `own` scope on a list: the handler narrows the list to this staff id's records. */
  ownerId: string | null;
}

/** The HTTP details only the sign-in routes need. */
export interface HttpContext {
  ip: string | null;
  userAgent: string | undefined;
  /** The session cookie as sent (signed-in routes). */
  sessionToken: string | null;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
  setHeader(name: string, value: string): void;
}

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
  access: RouteAccess;
  http: HttpContext;
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
  /**
   * Required when the matrix grants the `own` scope: the staff ids taking part in the
   * record (called after the institution is found; throw notFound when it is missing).
   */
  owners?: (input: RouteInput<P, Q, B>) => Promise<readonly string[]> | readonly string[];
  /** Instead of `owners`, on lists: the handler narrows the list to `access.ownerId`. */
  listsOwn?: true;
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
  owners: ((input: RouteInput<AnyObject, AnyObject, z.ZodType>) => Promise<readonly string[]> | readonly string[]) | undefined;
  listsOwn: boolean;
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
    owners: def.owners as ApiRoute['owners'],
    listsOwn: def.listsOwn === true,
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
  // The permission matrix must know the route, and the route must supply what its grants need.
  if (!isAction(route.name))
    throw new Error(`${where}: no entry in the permission matrix (packages/protocol/src/permissions.ts) — add one`);
  const grants = Object.values(grantsOf(route.name));
  if (grants.includes('own') && !route.owners && !route.listsOwn)
    throw new Error(`${where}: the matrix grants the 'own' scope, so the route needs owners() or listsOwn`);
  if (grants.includes('own') && route.institution === null) throw new Error(`${where}: the 'own' scope needs an institution resolver`);
  if (grants.includes('link') || grants.includes('participant'))
    throw new Error(`${where}: 'link' and 'participant' are socket scopes, not REST ones`);
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

/** Mounts the registry's routes on `router`, with the shared error handler. */
export function mountRoutes(router: Router, registry: RouteRegistry, deps: ApiDeps, options: MountOptions = {}): void {
  const checkResponses = options.checkResponses ?? process.env.NODE_ENV === 'test';
  // Per route, not router.use(): wherever the router is mounted, paths it does not own
  // (/api/health, /api/links/:token …) stay public and fall through untouched.
  const json = express.json({ limit: '64kb' });
  for (const route of registry.routes) router[route.method](route.path, json, runRoute(route, deps, checkResponses));
  router.use(errorHandler(deps));
}

/** What a session in the `totp_setup_required` stage may still do. */
const DURING_TOTP_SETUP: ReadonlySet<string> = new Set(['auth.session', 'auth.sign_out', 'account.totp_setup', 'account.totp_enable']);
const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

function httpContext(req: Request, res: Response, token: string | null): HttpContext {
  const secure = req.secure;
  return {
    ip: req.ip ?? null,
    userAgent: req.get('user-agent'),
    sessionToken: token,
    setSessionCookie(value, expiresAt) {
      res.append(
        'Set-Cookie',
        stringifySetCookie({ name: SESSION_COOKIE, value, httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt }),
      );
    },
    clearSessionCookie() {
      res.append(
        'Set-Cookie',
        stringifySetCookie({ name: SESSION_COOKIE, value: '', httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 }),
      );
    },
    setHeader(name, value) {
      res.set(name, value);
    },
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function runRoute(route: ApiRoute, deps: ApiDeps, checkResponses: boolean) {
  const action = route.name as Action;
  const isPublic = grantOf(action, 'anyone') === 'public';
  return async (req: Request, res: Response) => {
    res.locals.route = route.name;
    const token = sessionTokenFrom(req.get('cookie'));
    const http = httpContext(req, res, token);
    const staff = token && !isPublic ? await deps.auth.sessions.resolve(token) : null;
    const caller: Caller = staff ?? { kind: 'anyone' };
    const actor: Actor = staff ? { type: 'staff', id: staff.user.id, ip: http.ip } : { type: 'system', id: null, ip: http.ip };
    if (!isPublic && !staff) {
      if (token) http.clearSessionCookie();
      throw new HttpError(401, 'unauthenticated', token ? 'the session has ended: sign in again' : 'sign in first');
    }
    if (staff && STATE_CHANGING.has(route.method)) {
      const sent = req.get(CSRF_HEADER) ?? '';
      if (!sameSecret(sent, staff.csrfToken)) {
        await denied(deps, actor, route, 403, 'csrf');
        throw new HttpError(403, 'csrf_failed', `send the session's CSRF token in the ${CSRF_HEADER} header`);
      }
    }
    if (staff && staff.stage === 'totp_setup_required' && !DURING_TOTP_SETUP.has(route.name)) {
      throw new HttpError(403, 'totp_setup_required', 'set up the second factor (authenticator app) first');
    }
    const input = { ...parseInput(route, req), deps };
    let institution: InstitutionRow | null = null;
    let subject: Subject | null = null;
    if (route.institution) {
      const id = await route.institution(input);
      institution = await deps.prisma.institution.findUnique({ where: { id } });
      if (!institution) throw notFound('institution');
      subject = { institutionId: institution.id, departmentId: institution.departmentId };
      if (staff && route.owners && grantOf(action, staff.user.role) === 'own' && staff.user.institutionId === institution.id) {
        subject.owners = await route.owners(input);
      }
    }
    const verdict = decide(action, caller, subject);
    if (!verdict.allowed) {
      // A probe of another department's id must not come back through the audit view as
      // "this id is real, it belongs to institution X": such a row names no institution.
      const seen =
        institution &&
        staff &&
        (staff.user.role === 'admin' ? institution.departmentId === staff.user.departmentId : institution.id === staff.user.institutionId)
          ? institution.id
          : null;
      await denied(deps, actor, route, verdict.status, verdict.reason, seen);
      if (verdict.status === 404) throw notFound(route.tag === 'institutions' ? 'institution' : 'record');
      if (verdict.status === 401) throw new HttpError(401, 'unauthenticated', 'sign in first');
      throw new HttpError(403, 'forbidden', `your role may not call ${route.name}`);
    }
    const access: RouteAccess = { caller: staff, scope: verdict.scope, ownerId: verdict.ownerId };
    const result = await route.handler({ ...input, institution, actor, access, http });
    if (checkResponses) assertResponse(route, result);
    res.status(route.status).json(result);
  };
}

/** Every refusal of a signed-in caller is an audit event: who, what, from where — never the input. */
async function denied(deps: ApiDeps, actor: Actor, route: ApiRoute, status: number, reason: string, institutionId: string | null = null) {
  if (actor.id === null) return;
  await audit(deps.prisma, actor, {
    action: 'access.denied',
    targetType: 'route',
    targetId: route.name,
    institutionId,
    details: { status, reason, method: route.method.toUpperCase() },
  });
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
    // The router's own 4xx, e.g. a path segment that is not valid percent-encoded UTF-8
    // (URIError, status 400). Its message quotes the raw segment: not logged, not echoed.
    if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
      const e = new HttpError(400, 'bad_request', 'the address is malformed');
      res.status(e.status).json(e.body());
      return;
    }
    const route = typeof res.locals.route === 'string' ? res.locals.route : 'unknown';
    if (err instanceof ResponseSchemaError) deps.log.error({ route, err: err.message }, 'response schema violated');
    else logUnexpected(deps.log, err, route);
    res.status(500).json(new HttpError(500, 'internal', 'internal error').body());
  };
}
