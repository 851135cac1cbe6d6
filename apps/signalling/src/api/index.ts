// The staff REST API: mount `createApiRouter(deps)` at /api. Every route is in `apiRoutes`;
// the router and /api/openapi.json are both built from that one registry.
import express, { type Router } from 'express';
import { auditRoutes } from './audit-log.ts';
import { accountRoutes } from './account.ts';
import { authRoutes } from './auth.ts';
import { consultationRoutes } from './consultations.ts';
import type { ApiDeps } from './deps.ts';
import { healthRoutes } from './health.ts';
import { institutionRoutes } from './institutions.ts';
import { linkRoutes } from './links.ts';
import { technicalFailureRoutes } from './technical-failure.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { requestRoutes } from './requests.ts';
import { roomRecordRoutes } from './room-records.ts';
import { RouteRegistry, mountRoutes, type MountOptions } from './route.ts';
import { scheduleRoutes } from './schedules.ts';
import { staffRoutes } from './staff.ts';

export type { ApiDeps, LinkClaimsInput } from './deps.ts';
export { HttpError } from './errors.ts';
export { defineRoute, RouteRegistry, type ApiRoute, type MountOptions } from './route.ts';
export { buildOpenApiDocument } from './openapi.ts';

export const apiRoutes = new RouteRegistry([
  ...authRoutes,
  ...accountRoutes,
  ...institutionRoutes,
  ...staffRoutes,
  ...scheduleRoutes,
  ...requestRoutes,
  ...consultationRoutes,
  ...roomRecordRoutes,
  ...auditRoutes,
  ...healthRoutes,
  ...linkRoutes,
  ...technicalFailureRoutes,
]);

export function createApiRouter(deps: ApiDeps, options: MountOptions = {}): Router {
  const router = express.Router();
  // Documentation, so it needs no sign-in; built once (the registry does not change at run time).
  const openapi = buildOpenApiDocument(apiRoutes);
  router.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  mountRoutes(router, apiRoutes, deps, options);
  return router;
}
