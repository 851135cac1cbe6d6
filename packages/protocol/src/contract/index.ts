// THE REST contract of /api: every operation by name. The server mounts exactly these
// (apps/signalling/src/api/index.ts refuses to compile or start when one has no handler),
// /api/openapi.json is generated from them, and the web calls them by name with the types
// inferred from here (ParamsOf, QueryOf, BodyOf, ResponseOf; pathOf builds the address).
import type { z } from 'zod';
import { adminOperations } from './admin.ts';
import { authOperations } from './auth.ts';
import { clientOperations } from './clients.ts';
import { consultationOperations } from './consultations.ts';
import { consultationFormOperations } from './consultation-forms.ts';
import { dyadOperations } from './dyads.ts';
import { feedbackOperations } from './feedback.ts';
import { institutionOperations } from './institutions.ts';
import { journalOperations } from './journal.ts';
import { moveOperations } from './moves.ts';
import { noticeOperations } from './notices.ts';
import type { Operation } from './operation.ts';
import { plannedWorkOperations } from './planned-work.ts';
import { protocolOperations } from './protocol.ts';
import { publicOperations } from './public.ts';
import { reportOperations } from './reports.ts';
import { reportFormOperations } from './report-form.ts';
import { requestOperations } from './requests.ts';
import { roomRecordOperations } from './room-records.ts';
import { scheduleOperations } from './schedules.ts';
import { specialistAbsenceOperations } from './specialist-absence.ts';

export * from './operation.ts';

export const contract = {
  ...authOperations,
  ...institutionOperations,
  ...scheduleOperations,
  ...requestOperations,
  ...clientOperations,
  ...consultationOperations,
  ...consultationFormOperations,
  ...dyadOperations,
  ...plannedWorkOperations,
  ...moveOperations,
  ...specialistAbsenceOperations,
  ...roomRecordOperations,
  ...journalOperations,
  ...protocolOperations,
  ...adminOperations,
  ...noticeOperations,
  ...publicOperations,
  ...feedbackOperations,
  ...reportOperations,
  ...reportFormOperations,
};
export type Contract = typeof contract;
export type OperationName = keyof Contract;

/** Every operation, in the contract's order. */
export const operations: readonly Operation[] = Object.values(contract);

type Input<S, Otherwise> = S extends z.ZodType ? z.input<S> : Otherwise;
type NoFields = Record<string, never>;

/** The path parameters an operation takes ({} when none). */
export type ParamsOf<K extends OperationName> = Input<Contract[K] extends { params: infer P } ? P : undefined, NoFields>;
/** Its query string's fields ({} when none). */
export type QueryOf<K extends OperationName> = Input<Contract[K] extends { query: infer Q } ? Q : undefined, NoFields>;
/** Its JSON body (undefined when it takes none). */
export type BodyOf<K extends OperationName> = Input<Contract[K] extends { body: infer B } ? B : undefined, undefined>;
/** What it answers, as parsed by its response schema. */
export type ResponseOf<K extends OperationName> = z.output<Contract[K]['response']>;

/** The operation's address below /api with its path parameters filled in (each one URI-encoded). */
export function pathOf(op: Pick<Operation, 'path' | 'name'>, params: Record<string, string | number> = {}): string {
  return op.path.replace(/:([A-Za-z]+)/g, (_m, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`${op.name}: path parameter ${key} is missing`);
    return encodeURIComponent(String(value));
  });
}
