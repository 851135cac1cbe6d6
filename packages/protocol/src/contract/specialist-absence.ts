// «Специалист заболел»: a specialist's whole day reassigned or moved at once.
// The server's handler: apps/signalling/src/api/specialist-absence.ts.
import { InstitutionParams, SpecialistAbsenceBody, SpecialistAbsenceResult } from '../api/index.ts';
import { byName, defineOperation } from './operation.ts';

export const specialistAbsenceOperations = byName([
  defineOperation({
    name: 'consultations.specialist_absence',
    action: 'consultations.specialist_absence',
    method: 'post',
    path: '/institutions/:institutionId/specialist-absence',
    summary:
      'A specialist is ill: every consultation of theirs that day (not finished) goes to a free colleague of the same profession, or to the same times on another date; the clients are e-mailed «по болезни специалиста»',
    description:
      '`preview: true` changes nothing and says, per consultation, who would take it or its new time. Otherwise all or nothing: 409 `conflict` with `details.problems` (per consultation) when one of them cannot be handed over.',
    tag: 'consultations',
    params: InstitutionParams,
    body: SpecialistAbsenceBody,
    response: SpecialistAbsenceResult,
    errors: [404, 409],
    institutionScoped: true,
  }),
]);
