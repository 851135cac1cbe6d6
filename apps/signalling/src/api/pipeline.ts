// The request pipeline every route goes through, the same way for each: the session cookie,
// CSRF, zod validation with field names, the permission matrix
// (packages/protocol/src/permissions.ts) through access.ts's `decide` — 401, 403 for a role
// that may not, 404 for another institution's ids — an audit event for every denial, the
// response schema in tests, and the error shape. The routes themselves: route.ts.
import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { stringifySetCookie } from 'cookie';
import type { z } from 'zod';
import type { Institution as InstitutionRow } from '@dp/db';
import { CSRF_HEADER, ProtocolError, SESSION_COOKIE, grantOf, type FieldErrors } from '@dp/protocol';
import { decide, type Caller, type Subject } from '../auth/access.ts';
import { sessionTokenFrom } from '../auth/session-store.ts';
import { protocolErrorAnswer } from '../http/protocol-errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, badRequest, logUnexpected, notFound } from './errors.ts';
import type { ApiRoute, HttpContext, RouteAccess, RouteRegistry } from './route.ts';

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
  for (const route of registry.routes) router[route.method](route.path, bodyParser(route, json), runRoute(route, deps, checkResponses));
  router.use(errorHandler(deps));
}

/**
 * JSON, or — for an operation that `consumes` raw bytes (a file upload) — the bytes up to the
 * operation's own limit, a larger body answering 413 with the limit in Russian.
 */
function bodyParser(route: ApiRoute, json: RequestHandler): RequestHandler {
  const { consumes, maxBodyBytes = 64 * 1024 } = route.operation;
  if (!consumes) return json;
  const raw = express.raw({ type: consumes, limit: maxBodyBytes });
  const megabytes = Math.round(maxBodyBytes / (1024 * 1024));
  return (req, res, next) =>
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: unknown } | undefined)?.type === 'entity.too.large')
        next(new HttpError(413, 'payload_too_large', `Файл больше ${megabytes} МБ`, { file: `Файл больше ${megabytes} МБ` }));
      else next(err);
    });
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
  const action = route.action;
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
    // A file (the calendar's .ics, an export): its own type, the text or bytes as the handler made them.
    if (route.operation.produces)
      res
        .status(route.status)
        // A stored file keeps the type its handler set (the file's own), as does an export that
        // answers one of two (XLSX or CSV).
        .type(res.get('Content-Type') || route.operation.produces)
        .send(result instanceof Uint8Array ? Buffer.from(result) : String(result));
    else res.status(route.status).json(result);
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
    // The link and media routes share the socket's refusals (invalid_token, link_expired, rate_limited …).
    if (err instanceof ProtocolError) {
      const answer = protocolErrorAnswer(err);
      for (const [name, value] of Object.entries(answer.headers)) res.set(name, value);
      res.status(answer.status).json(answer.body);
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
