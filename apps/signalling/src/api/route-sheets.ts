// Planned work: the client's individual route sheets (target group, dates, lines of directions
// with their responsible specialists, how many consultations and how often) and the dyad
// programme's evaluation. A line's consultations are derived, not linked: the client's
// consultations with the line's specialist in the line's form within the sheet's dates (the
// first line that matches takes it). So the existing booking flow needs no change, and a
// consultation booked before the sheet existed still counts. Audit rows: ids and field names only.
import type { Prisma, PrismaClient, TransactionClient } from '@dp/db';
import { contract, type RouteLineInput, type RouteSheet } from '@dp/protocol';
import { clientConsultations, clientOwners, localDays, type ClientConsultation } from '../planned/client-consultations.ts';
import { audit } from './audit.ts';
import { badRequest, notFound } from './errors.ts';
import { defineRoute, routeTable } from './route.ts';

type Db = PrismaClient | TransactionClient;

const withLines = {
  lines: {
    orderBy: { position: 'asc' },
    include: { specialist: { select: { id: true, displayName: true } } },
  },
} as const satisfies Prisma.RouteSheetInclude;
type SheetRow = Prisma.RouteSheetGetPayload<{ include: typeof withLines }>;

const AHEAD = new Set(['planned', 'precheck', 'open', 'live']);

const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

async function sheetView(db: Db, row: SheetRow, zone: string): Promise<RouteSheet> {
  const startDate = isoDate(row.startDate);
  const endDate = isoDate(row.endDate);
  const { from, to } = localDays(startDate, endDate, zone);
  const all = (await clientConsultations(db, row.institutionId, row.clientId, from, to)).filter((c) => c.state !== 'cancelled');
  const taken = new Set<string>();
  const lines = row.lines.map((line) => {
    const mine: ClientConsultation[] = all.filter(
      (c) => !taken.has(c.id) && c.form === line.form && c.specialists.some((s) => s.id === line.specialistId),
    );
    for (const c of mine) taken.add(c.id);
    return {
      id: line.id,
      profession: line.profession,
      form: line.form,
      specialist: line.specialist,
      plannedCount: line.plannedCount,
      frequency: line.frequency,
      note: line.note,
      held: mine.filter((c) => c.state === 'ended').length,
      booked: mine.filter((c) => AHEAD.has(c.state)).length,
      consultations: mine.map((c) => ({
        id: c.id,
        start: c.start.toISOString(),
        state: c.state as RouteSheet['lines'][number]['consultations'][number]['state'],
      })),
    };
  });
  return {
    id: row.id,
    institutionId: row.institutionId,
    clientId: row.clientId,
    targetGroup: row.targetGroup,
    startDate,
    endDate,
    status: row.status,
    note: row.note,
    lines,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The lines' specialists must be active specialists of the institution (field errors on lines.i.specialistId). */
async function checkSpecialists(db: Db, institutionId: string, lines: readonly RouteLineInput[]): Promise<void> {
  const ids = [...new Set(lines.map((l) => l.specialistId))];
  const rows = await db.staffUser.findMany({
    where: { id: { in: ids }, institutionId, active: true, role: { in: ['specialist', 'head'] } },
    select: { id: true },
  });
  const known = new Set(rows.map((r) => r.id));
  const missing = lines.flatMap((l, i) =>
    known.has(l.specialistId) ? [] : [[`lines.${i}.specialistId`, 'no such specialist in this institution']],
  );
  if (missing.length > 0) throw badRequest(Object.fromEntries(missing));
}

function lineRows(lines: readonly RouteLineInput[]) {
  return lines.map((l, i) => ({
    position: i,
    profession: l.profession,
    form: l.form,
    specialistId: l.specialistId,
    plannedCount: l.plannedCount,
    frequency: l.frequency,
    note: l.note ?? null,
  }));
}

async function activeClient(db: Db, institutionId: string, clientId: string): Promise<void> {
  const client = await db.client.findFirst({ where: { id: clientId, institutionId }, select: { archivedAt: true } });
  if (!client) throw notFound('client');
  if (client.archivedAt) throw badRequest({ clientId: 'the client is archived: restore the record first' });
}

export const routeSheetRoutes = routeTable([
  defineRoute(contract['route_sheets.list'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params, deps }) => clientOwners(deps.prisma, params.institutionId, params.clientId),
    handler: async ({ params, institution, deps }) => {
      const client = await deps.prisma.client.findFirst({
        where: { id: params.clientId, institutionId: institution.id },
        select: { id: true },
      });
      if (!client) throw notFound('client');
      const rows = await deps.prisma.routeSheet.findMany({
        where: { clientId: client.id, institutionId: institution.id },
        include: withLines,
        orderBy: [{ startDate: 'desc' }, { id: 'desc' }],
        take: 50,
      });
      return { sheets: await Promise.all(rows.map((r) => sheetView(deps.prisma, r, institution.timeZone))) };
    },
  }),

  defineRoute(contract['route_sheets.create'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ params, body, institution, deps, actor }) => {
      await activeClient(deps.prisma, institution.id, params.clientId);
      await checkSpecialists(deps.prisma, institution.id, body.lines);
      const row = await deps.prisma.$transaction(async (tx) => {
        const created = await tx.routeSheet.create({
          data: {
            institutionId: institution.id,
            clientId: params.clientId,
            targetGroup: body.targetGroup,
            startDate: new Date(`${body.startDate}T00:00:00Z`),
            endDate: new Date(`${body.endDate}T00:00:00Z`),
            note: body.note ?? null,
            lines: { create: lineRows(body.lines) },
          },
          include: withLines,
        });
        await audit(tx, actor, {
          action: 'route_sheet.created',
          targetType: 'route_sheet',
          targetId: created.id,
          institutionId: institution.id,
          details: { clientId: params.clientId, lines: body.lines.length, targetGroup: body.targetGroup },
        });
        return created;
      });
      return sheetView(deps.prisma, row, institution.timeZone);
    },
  }),

  defineRoute(contract['route_sheets.update'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ params, body, institution, deps, actor }) => {
      const current = await deps.prisma.routeSheet.findFirst({ where: { id: params.sheetId, institutionId: institution.id } });
      if (!current) throw notFound('route sheet');
      const startDate = body.startDate ?? isoDate(current.startDate);
      const endDate = body.endDate ?? isoDate(current.endDate);
      if (endDate < startDate) throw badRequest({ endDate: 'the end date is before the start date' });
      if (body.lines) await checkSpecialists(deps.prisma, institution.id, body.lines);
      const row = await deps.prisma.$transaction(async (tx) => {
        if (body.lines) await tx.routeLine.deleteMany({ where: { routeSheetId: current.id } });
        const updated = await tx.routeSheet.update({
          where: { id: current.id },
          data: {
            ...(body.targetGroup !== undefined ? { targetGroup: body.targetGroup } : {}),
            ...(body.status !== undefined ? { status: body.status } : {}),
            ...(body.note !== undefined ? { note: body.note } : {}),
            startDate: new Date(`${startDate}T00:00:00Z`),
            endDate: new Date(`${endDate}T00:00:00Z`),
            ...(body.lines ? { lines: { create: lineRows(body.lines) } } : {}),
          },
          include: withLines,
        });
        await audit(tx, actor, {
          action: 'route_sheet.updated',
          targetType: 'route_sheet',
          targetId: updated.id,
          institutionId: institution.id,
          details: { clientId: current.clientId, fields: Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined) },
        });
        return updated;
      });
      return sheetView(deps.prisma, row, institution.timeZone);
    },
  }),
]);
