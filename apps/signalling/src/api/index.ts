// The REST API: mount `createApiRouter(deps)` at /api. Every operation of the contract
// (packages/protocol/src/contract/) has exactly one route here — the compiler refuses a
// contract entry without a handler (`satisfies RouteTable` below) and the registry refuses to
// start without one; the router and /api/openapi.json are both built from that one registry.
import express, { type Router } from 'express';
import { contract, operations, type OperationName } from '@dp/protocol';
import { auditRoutes } from './audit-log.ts';
import { accountRoutes } from './account.ts';
import { authRoutes } from './auth.ts';
import { clientRoutes } from './clients.ts';
import { consultationRoutes } from './consultations.ts';
import { consultationFormRoutes } from './consultation-forms.ts';
import { dyadRoutes } from './dyads.ts';
import { plannedWorkRoutes } from './planned-work.ts';
import { routeSheetRoutes } from './route-sheets.ts';
import { feedbackRoutes } from './feedback.ts';
import type { ApiDeps } from './deps.ts';
import { healthRoutes } from './health.ts';
import { institutionRoutes } from './institutions.ts';
import { journalRoutes } from './journal.ts';
import { linkRoutes } from './links.ts';
import { linkAnswerRoutes } from './link-answers.ts';
import { moveRoutes } from './moves.ts';
import { noticeRoutes } from './notices.ts';
import { dayBoardRoutes } from './day-board.ts';
import { specialistAbsenceRoutes } from './specialist-absence.ts';
import { technicalFailureRoutes } from './technical-failure.ts';
import { webinarRoutes } from './webinars.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { mountRoutes, type MountOptions } from './pipeline.ts';
import { protocolRoutes } from './protocol.ts';
import { publicRoutes } from './public.ts';
import { reportDepartmentRoutes } from './report-department.ts';
import { reportRoutes } from './reports.ts';
import { reportFormRoutes } from './report-form.ts';
import { requestRoutes } from './requests.ts';
import { roomRecordRoutes } from './room-records.ts';
import { RouteRegistry, type ApiRoute } from './route.ts';
import { scheduleCorrectionRoutes } from './schedule-corrections.ts';
import { scheduleRoutes } from './schedules.ts';
import { staffRoutes } from './staff.ts';

export type { ApiDeps, LinkClaimsInput } from './deps.ts';
export { HttpError } from './errors.ts';
export { defineRoute, RouteRegistry, type ApiRoute } from './route.ts';
export type { MountOptions } from './pipeline.ts';
export { buildOpenApiDocument } from './openapi.ts';

/** One route per contract entry, under the entry's name. */
export type RouteTable = { [K in OperationName]: ApiRoute<K> };

export const routeHandlers = {
  ...authRoutes,
  ...accountRoutes,
  ...institutionRoutes,
  ...staffRoutes,
  ...scheduleRoutes,
  ...scheduleCorrectionRoutes,
  ...requestRoutes,
  ...clientRoutes,
  ...consultationRoutes,
  ...consultationFormRoutes,
  ...webinarRoutes,
  ...dyadRoutes,
  ...routeSheetRoutes,
  ...plannedWorkRoutes,
  ...roomRecordRoutes,
  ...journalRoutes,
  ...protocolRoutes,
  ...auditRoutes,
  ...healthRoutes,
  ...linkRoutes,
  ...technicalFailureRoutes,
  ...moveRoutes,
  ...noticeRoutes,
  ...dayBoardRoutes,
  ...specialistAbsenceRoutes,
  ...publicRoutes,
  ...linkAnswerRoutes,
  ...reportRoutes,
  ...reportDepartmentRoutes,
  ...reportFormRoutes,
  ...feedbackRoutes,
} satisfies RouteTable;

export const apiRoutes = new RouteRegistry(Object.values(routeHandlers), contract);

export function createApiRouter(deps: ApiDeps, options: MountOptions = {}): Router {
  const router = express.Router();
  // Documentation, so it needs no sign-in; generated once from the contract (it does not change at run time).
  const openapi = buildOpenApiDocument(operations);
  router.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  mountRoutes(router, apiRoutes, deps, options);
  return router;
}
