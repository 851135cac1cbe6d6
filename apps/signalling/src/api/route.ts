// The one way an endpoint is made. Its contract entry (packages/protocol/src/contract/) says
// everything a caller sees — name, method, path, schemas, errors, the permission action;
// the server adds only the handler and the resource look-ups: which institution's data the
// call touches and, for the `own` scope, who takes part in the record. The request pipeline
// (pipeline.ts) then does the rest the same way for every route, and the OpenAPI document is
// generated from the contract (openapi.ts).
import type { z } from 'zod';
import type { Institution as InstitutionRow } from '@dp/db';
import {
  checkOperation,
  checkUnique,
  grantsOf,
  type Action,
  type ErrorStatus,
  type HttpMethod,
  type Operation,
  type Scope,
} from '@dp/protocol';
import type { StaffPrincipal } from '../auth/session-store.ts';
import type { Actor } from './actor.ts';
import type { ApiDeps } from './deps.ts';

export type { Actor } from './actor.ts';
export type { ErrorStatus, HttpMethod } from '@dp/protocol';

type Parsed<S, Otherwise> = S extends z.ZodType ? z.output<S> : Otherwise;
type NoFields = Record<string, never>;
type ParamsSchema<O> = O extends { params: infer P } ? P : undefined;
type QuerySchema<O> = O extends { query: infer Q } ? Q : undefined;
type BodySchema<O> = O extends { body: infer B } ? B : undefined;

/** The verdict the router reached, for handlers whose query depends on the scope. */
export interface RouteAccess {
  /** The signed-in member of staff; null on public routes. */
  caller: StaffPrincipal | null;
  scope: Scope;
  /** With the `own` scope on a list: the handler narrows the list to this staff id's records. */
  ownerId: string | null;
}

/** The HTTP details only the sign-in and link routes need. */
export interface HttpContext {
  ip: string | null;
  userAgent: string | undefined;
  /** The session cookie as sent (signed-in routes). */
  sessionToken: string | null;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
  setHeader(name: string, value: string): void;
}

/** The validated input of an operation, typed from its contract entry. */
export interface RouteInput<O extends Operation> {
  params: Parsed<ParamsSchema<O>, NoFields>;
  query: Parsed<QuerySchema<O>, NoFields>;
  body: Parsed<BodySchema<O>, undefined>;
  deps: ApiDeps;
}

export interface HandlerContext<O extends Operation> extends RouteInput<O> {
  /** The institution the call touches (loaded once by the router), or null on operations not scoped to one. */
  institution: O['institutionScoped'] extends true ? InstitutionRow : null;
  actor: Actor;
  access: RouteAccess;
  http: HttpContext;
}

/** Says which institution's data a call touches: from the path, or looked up from the record (throw notFound when missing). */
export type InstitutionResolver<O extends Operation> = (input: RouteInput<O>) => string | Promise<string>;

/** What the server adds to a contract entry. */
export type RouteImpl<O extends Operation> = {
  /**
   * Required when the matrix grants the `own` scope: the staff ids taking part in the
   * record (called after the institution is found; throw notFound when it is missing).
   */
  owners?: (input: RouteInput<O>) => Promise<readonly string[]> | readonly string[];
  /** Instead of `owners`, on lists: the handler narrows the list to `access.ownerId`. */
  listsOwn?: true;
  handler: (ctx: HandlerContext<O>) => Promise<z.input<O['response']>>;
} & (O['institutionScoped'] extends true
  ? { /** Which institution's data the call touches. */ institution: InstitutionResolver<O> }
  : { institution?: null });

/** The input and context as the pipeline builds them, with the types erased. */
export interface ErasedInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  deps: ApiDeps;
}
export interface ErasedContext extends ErasedInput {
  institution: InstitutionRow | null;
  actor: Actor;
  access: RouteAccess;
  http: HttpContext;
}

/** A route with its types erased, as the registry, the pipeline and the tests see it (the entry's fields copied for reading). */
export interface ApiRoute<N extends string = string> {
  name: N;
  action: Action;
  method: HttpMethod;
  path: string;
  summary: string;
  description: string | undefined;
  tag: string;
  params: z.ZodObject | undefined;
  query: z.ZodObject | undefined;
  body: z.ZodType | undefined;
  response: z.ZodType;
  status: number;
  errors: readonly ErrorStatus[];
  institutionScoped: boolean;
  /** The contract entry itself. */
  operation: Operation;
  institution: ((input: ErasedInput) => string | Promise<string>) | null;
  owners: ((input: ErasedInput) => Promise<readonly string[]> | readonly string[]) | undefined;
  listsOwn: boolean;
  handler: (ctx: ErasedContext) => Promise<unknown>;
}

/** A contract entry made a route (see RouteImpl); checked at once, so an incomplete one never reaches the registry. */
export function defineRoute<const O extends Operation>(operation: O, impl: NoInfer<RouteImpl<O>>): ApiRoute<O['name']> {
  const route: ApiRoute<O['name']> = {
    name: operation.name,
    action: operation.action,
    method: operation.method,
    path: operation.path,
    summary: operation.summary,
    description: operation.description,
    tag: operation.tag,
    params: operation.params,
    query: operation.query,
    body: operation.body,
    response: operation.response,
    status: operation.status ?? 200,
    errors: operation.errors ?? [],
    institutionScoped: operation.institutionScoped,
    operation,
    institution: (impl.institution ?? null) as ApiRoute['institution'],
    owners: impl.owners as ApiRoute['owners'],
    listsOwn: impl.listsOwn === true,
    handler: impl.handler as unknown as ApiRoute['handler'],
  };
  checkRoute(route);
  return route;
}

/** What every route must have; the registry runs it again on whatever it is given. */
export function checkRoute(route: ApiRoute): void {
  checkOperation({
    name: route.name,
    action: route.action,
    method: route.method,
    path: route.path,
    summary: route.summary,
    tag: route.tag,
    params: route.params,
    query: route.query,
    body: route.body,
    response: route.response,
    institutionScoped: route.institutionScoped,
  });
  const where = `route ${JSON.stringify(route.name)} (${route.method.toUpperCase()} ${route.path})`;
  if (route.institution !== null && typeof route.institution !== 'function')
    throw new Error(`${where}: institution must be a function or null`);
  if (route.institutionScoped !== (route.institution !== null))
    throw new Error(
      `${where}: the contract says ${route.institutionScoped ? '' : 'not '}institution-scoped, so the route needs ${route.institutionScoped ? 'an' : 'no'} institution resolver`,
    );
  // The route must supply what the matrix's grants need.
  const grants = Object.values(grantsOf(route.action));
  if (grants.includes('own') && !route.owners && !route.listsOwn)
    throw new Error(`${where}: the matrix grants the 'own' scope, so the route needs owners() or listsOwn`);
  if (grants.includes('own') && route.institution === null) throw new Error(`${where}: the 'own' scope needs an institution resolver`);
}

/** Routes keyed by name, so that api/index.ts can check the table against the contract at compile time. */
export function routeTable<const T extends readonly ApiRoute[]>(routes: T): { [R in T[number] as R['name']]: R } {
  return Object.fromEntries(routes.map((r) => [r.name, r])) as { [R in T[number] as R['name']]: R };
}

/** Every route, checked together: names and method + path are unique; with `contract`, exactly one route per entry. */
export class RouteRegistry {
  readonly routes: readonly ApiRoute[];
  constructor(routes: readonly ApiRoute[], contract?: Readonly<Record<string, Operation>>) {
    for (const r of routes) checkRoute(r);
    checkUnique(routes, 'route');
    if (contract) {
      const stray = routes.find((r) => contract[r.name] !== r.operation);
      if (stray) throw new Error(`route ${stray.name} is not the contract's entry of that name`);
      const names = new Set(routes.map((r) => r.name));
      const missing = Object.keys(contract).filter((name) => !names.has(name));
      if (missing.length > 0) throw new Error(`no server handler for the contract's ${missing.join(', ')}`);
    }
    this.routes = [...routes];
  }
}
