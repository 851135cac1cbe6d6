// The consultation journal (журнал учёта онлайн-консультирования) and the group registry's
// export. The REST contract's entries (see operation.ts); the server's handlers are in
// apps/signalling/src/api/journal.ts.
import {
  ConsultationParams,
  JournalExportQuery,
  JournalFile,
  JournalPage,
  JournalParams,
  JournalQuery,
  RegistryExportQuery,
} from '../api/index.ts';
import { byName, defineOperation } from './operation.ts';

export const journalOperations = byName([
  defineOperation({
    name: 'journal.consultations',
    action: 'journal.consultations',
    method: 'get',
    path: '/institutions/:institutionId/journal',
    summary: 'The consultation journal: one row per consultation planned in the period (local days), 50 a page, by date',
    description:
      'Filled from what happened (stays in the room, the telephone outcome, the e-mail answer, the pre-check, the quality ' +
      'summary, the lifecycle history) and from the protocol. A specialist sees only their own consultations. A consultation ' +
      'moved to another time appears once, at its new time, with the number of moves.',
    tag: 'journal',
    params: JournalParams,
    query: JournalQuery,
    response: JournalPage,
    institutionScoped: true,
  }),
  defineOperation({
    name: 'journal.export',
    action: 'journal.export',
    method: 'get',
    path: '/institutions/:institutionId/journal/export',
    summary: 'The journal of the filter, every row, as XLSX or CSV (`;`, UTF-8 with BOM) with Russian headers',
    tag: 'journal',
    params: JournalParams,
    query: JournalExportQuery,
    response: JournalFile,
    produces: 'application/octet-stream',
    institutionScoped: true,
  }),
  defineOperation({
    name: 'consultations.registry_export',
    action: 'consultations.registry_export',
    method: 'get',
    path: '/consultations/:consultationId/registry/export',
    summary: 'The group registry (реестр участников) as XLSX or CSV: date, specialist, topic, participants with minutes and notes',
    tag: 'consultations',
    params: ConsultationParams,
    query: RegistryExportQuery,
    response: JournalFile,
    produces: 'application/octet-stream',
    institutionScoped: true,
  }),
]);
