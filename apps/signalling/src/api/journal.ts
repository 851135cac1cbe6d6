// The consultation journal (журнал учёта онлайн-консультирования) on screen and as a file, and
// the group registry's export. Each export is an audit event (what was exported, never its text).
import type { PrismaClient } from '@dp/db';
import { contract, JOURNAL_PAGE_SIZE, type RegistryEntry } from '@dp/protocol';
import { institutionOfConsultation, staffOfConsultation } from '../consultations/consultation-records.ts';
import { attachment, CSV_TYPE, toCsv, toXlsx, XLSX_TYPE } from '../export/table-export.ts';
import { journalAll, journalPage, type JournalFilter } from '../journal/journal-rows.ts';
import { journalTable, registryTable } from '../journal/journal-export.ts';
import { audit } from './audit.ts';
import { staffOfInstitution } from './records.ts';
import { registryEntry, registryParticipantSelect } from './room-records.ts';
import { defineRoute, routeTable } from './route.ts';

/** The filter after the scope: a specialist's own consultations whatever they asked; an unknown specialist is a field error. */
async function filterOf(
  prisma: PrismaClient,
  institution: { id: string; timeZone: string },
  query: { from: string; to: string; specialistId?: string | undefined },
  ownerId: string | null,
): Promise<JournalFilter> {
  if (!ownerId && query.specialistId) await staffOfInstitution(prisma, institution.id, [{ id: query.specialistId, field: 'specialistId' }]);
  return {
    institutionId: institution.id,
    timeZone: institution.timeZone,
    from: query.from,
    to: query.to,
    specialistId: ownerId ?? query.specialistId ?? null,
  };
}

export const journalRoutes = routeTable([
  defineRoute(contract['journal.consultations'], {
    institution: ({ params }) => params.institutionId,
    listsOwn: true,
    handler: async ({ query, institution, deps, access }) => {
      const filter = await filterOf(deps.prisma, institution, query, access.ownerId);
      const { rows, total } = await journalPage(deps.prisma, filter, query.page, deps.now());
      return { rows, total, page: query.page, pageSize: JOURNAL_PAGE_SIZE, timeZone: institution.timeZone };
    },
  }),

  defineRoute(contract['journal.export'], {
    institution: ({ params }) => params.institutionId,
    listsOwn: true,
    handler: async ({ query, institution, deps, access, actor, http }) => {
      const filter = await filterOf(deps.prisma, institution, query, access.ownerId);
      const rows = await journalAll(deps.prisma, filter, deps.now());
      const table = journalTable(rows, institution.timeZone);
      const bytes = query.format === 'xlsx' ? await toXlsx(table) : await toCsv(table);
      await audit(deps.prisma, actor, {
        action: 'journal.exported',
        targetType: 'institution',
        targetId: institution.id,
        institutionId: institution.id,
        details: {
          format: query.format,
          from: query.from,
          to: query.to,
          specialistId: filter.specialistId,
          rows: rows.length,
        },
      });
      http.setHeader('Content-Type', query.format === 'xlsx' ? XLSX_TYPE : CSV_TYPE);
      http.setHeader('Content-Disposition', attachment(`Журнал консультаций ${query.from} — ${query.to}.${query.format}`));
      http.setHeader('Cache-Control', 'no-store');
      return bytes;
    },
  }),

  defineRoute(contract['consultations.registry_export'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, query, institution, deps, actor, http }) => {
      const c = await deps.prisma.consultation.findUniqueOrThrow({
        where: { id: params.consultationId },
        select: {
          start: true,
          topic: true,
          specialists: { select: { specialist: { select: { displayName: true } } }, orderBy: { specialistId: 'asc' } },
          protocolVersions: { select: { topic: true }, orderBy: { version: 'desc' }, take: 1 },
          participants: { select: registryParticipantSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
        },
      });
      const now = deps.now();
      const participants: RegistryEntry[] = c.participants.map((p) => registryEntry(p, now));
      const table = registryTable({
        start: c.start,
        timeZone: institution.timeZone,
        specialists: c.specialists.map((s) => s.specialist.displayName),
        topic: c.protocolVersions[0]?.topic ?? c.topic,
        participants,
      });
      const bytes = query.format === 'xlsx' ? await toXlsx(table) : await toCsv(table);
      await audit(deps.prisma, actor, {
        action: 'registry.exported',
        targetType: 'consultation',
        targetId: params.consultationId,
        institutionId: institution.id,
        details: { format: query.format, participants: participants.length },
      });
      http.setHeader('Content-Type', query.format === 'xlsx' ? XLSX_TYPE : CSV_TYPE);
      http.setHeader('Content-Disposition', attachment(`Реестр участников.${query.format}`));
      http.setHeader('Cache-Control', 'no-store');
      return bytes;
    },
  }),
]);
