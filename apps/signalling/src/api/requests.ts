// The request journal (журнал регистрации заявок): numbered per institution per year, with
// the date by which the client must have an answer.
import { allocateRequestNumber, yearIn, type Request as RequestRow } from '@dp/db';
import { contract, JournalRequest, REQUEST_PAGE_SIZE } from '@dp/protocol';
import { addWorkingDays, ANSWER_WORKING_DAYS, answerDeadline, type RequestChannel as DeadlineChannel } from '@dp/scheduling';
import { requestStatusData } from '../journal/request-status.ts';
import { audit } from './audit.ts';
import { clientForRequest, contactForChannel } from './clients.ts';
import { notFound } from './errors.ts';
import { staffOfInstitution } from './records.ts';
import { journalPage } from './request-journal-query.ts';
import { defineRoute, routeTable } from './route.ts';
import { workingCalendar } from './working-calendar.ts';

export function requestView(row: RequestRow): JournalRequest {
  return {
    id: row.id,
    institutionId: row.institutionId,
    year: row.year,
    number: row.number,
    receivedAt: row.receivedAt.toISOString(),
    channel: row.channel,
    contact: row.contact,
    fromWhom: row.fromWhom,
    representativeName: row.representativeName,
    childName: row.childName,
    childAge: row.childAge,
    anonymous: row.anonymous,
    clientId: row.clientId,
    recurrence: row.recurrence,
    reason: row.reason,
    address: row.address,
    socialStatus: row.socialStatus,
    responsibleSpecialistId: row.responsibleSpecialistId,
    registeredById: row.registeredById,
    status: row.status,
    result: row.result,
    refusalGround: row.refusalGround,
    answerDueAt: row.answerDueAt?.toISOString() ?? null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The seeds name deadlines for e-mail, phone and SMS (the rules add messenger and visit); a video link has none. */
function hasDeadline(channel: string): channel is DeadlineChannel {
  return Object.hasOwn(ANSWER_WORKING_DAYS, channel);
}

export const requestRoutes = routeTable([
  defineRoute(contract['requests.list'], {
    institution: ({ params }) => params.institutionId,
    listsOwn: true,
    handler: async ({ query, institution, deps, access }) => {
      const now = deps.now();
      const { rows, total } = await journalPage(deps.prisma, institution.id, access.ownerId ?? null, query, now);
      return {
        requests: rows.map(requestView),
        total,
        page: query.page,
        pageSize: REQUEST_PAGE_SIZE,
        now: now.toISOString(),
        // «Due soon»: by the closing time of the next working day of the institution's calendar.
        dueSoonBefore: addWorkingDays(workingCalendar(institution, now), now, 1).toISOString(),
      };
    },
  }),

  defineRoute(contract['requests.create'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ body, institution, deps, actor }) => {
      if (body.responsibleSpecialistId) {
        await staffOfInstitution(deps.prisma, institution.id, [{ id: body.responsibleSpecialistId, field: 'responsibleSpecialistId' }], {
          activeOnly: true,
        });
      }
      const receivedAt = body.receivedAt ? new Date(body.receivedAt) : deps.now();
      const calendar = workingCalendar(institution, receivedAt);
      const answerDueAt = hasDeadline(body.channel) ? answerDeadline(calendar, receivedAt, body.channel) : null;
      const year = yearIn(receivedAt, calendar.timeZone);
      const row = await deps.prisma.$transaction(async (tx) => {
        // The registry's client (locked; 404 for another institution's): its data unless the body gives it, first or repeat.
        const client = body.clientId ? await clientForRequest(tx, institution.id, body.clientId, receivedAt) : null;
        // Inside the transaction: a rollback gives the number back, so the journal has no gaps.
        const number = await allocateRequestNumber(tx, institution.id, year);
        const created = await tx.request.create({
          data: {
            institutionId: institution.id,
            year,
            number,
            receivedAt,
            channel: body.channel,
            contact: body.contact ?? (client ? contactForChannel(client, body.channel) : null),
            // The schema requires «от кого» unless a client is given.
            fromWhom: body.fromWhom ?? client?.representativeName ?? '',
            representativeName: body.representativeName ?? client?.representativeName ?? null,
            childName: body.childName ?? client?.childName ?? null,
            childAge: body.childAge ?? client?.childAge ?? null,
            anonymous: body.anonymous,
            clientId: body.clientId ?? null,
            recurrence: client?.recurrence ?? body.recurrence,
            reason: body.reason,
            address: body.address ?? client?.address ?? null,
            socialStatus: body.socialStatus ?? client?.socialStatus ?? null,
            responsibleSpecialistId: body.responsibleSpecialistId ?? null,
            // The signed-in caller is the author, never a name from the body.
            registeredById: actor.type === 'staff' ? actor.id : null,
            ...requestStatusData(body.responsibleSpecialistId ? 'assigned' : 'new', receivedAt),
            answerDueAt,
          },
        });
        await audit(tx, actor, {
          action: 'request.created',
          targetType: 'request',
          targetId: created.id,
          institutionId: institution.id,
          details: { year, number, channel: body.channel },
        });
        return created;
      });
      return requestView(row);
    },
  }),

  defineRoute(contract['requests.update'], {
    institution: ({ params }) => params.institutionId,
    owners: async ({ params, deps }) => {
      const row = await deps.prisma.request.findUnique({ where: { id: params.requestId }, select: { responsibleSpecialistId: true } });
      return row?.responsibleSpecialistId ? [row.responsibleSpecialistId] : [];
    },
    handler: async ({ params, body, institution, deps, actor }) => {
      if (body.responsibleSpecialistId) {
        await staffOfInstitution(deps.prisma, institution.id, [{ id: body.responsibleSpecialistId, field: 'responsibleSpecialistId' }], {
          activeOnly: true,
        });
      }
      const row = await deps.prisma.$transaction(async (tx) => {
        const current = await tx.request.findFirst({
          where: { id: params.requestId, institutionId: institution.id },
          select: { status: true },
        });
        if (!current) throw notFound('request');
        const status = body.status ?? (body.responsibleSpecialistId && current.status === 'new' ? 'assigned' : undefined);
        const updated = await tx.request.update({
          where: { id: params.requestId },
          data: {
            // The decision time moves only with the status (journal/request-status.ts), never with an edit.
            ...(status !== undefined ? requestStatusData(status, deps.now(), current.status) : {}),
            ...(body.responsibleSpecialistId !== undefined ? { responsibleSpecialistId: body.responsibleSpecialistId } : {}),
            ...(body.result !== undefined ? { result: body.result } : {}),
            // A ground comes with `refused` (the schema insists); leaving `refused` clears it (CHECK).
            ...(status === 'refused' && body.refusalGround ? { refusalGround: body.refusalGround } : {}),
            ...(status !== undefined && status !== 'refused' ? { refusalGround: null } : {}),
          },
        });
        // Field names and the status only: the result is free text about a person.
        await audit(tx, actor, {
          action: 'request.updated',
          targetType: 'request',
          targetId: updated.id,
          institutionId: institution.id,
          details: { fields: Object.keys(body), status: updated.status },
        });
        return updated;
      });
      return requestView(row);
    },
  }),

  defineRoute(contract['requests.get'], {
    institution: ({ params }) => params.institutionId,
    owners: async ({ params, deps }) => {
      const row = await deps.prisma.request.findUnique({ where: { id: params.requestId }, select: { responsibleSpecialistId: true } });
      return row?.responsibleSpecialistId ? [row.responsibleSpecialistId] : [];
    },
    handler: async ({ params, institution, deps }) => {
      const row = await deps.prisma.request.findFirst({ where: { id: params.requestId, institutionId: institution.id } });
      if (!row) throw notFound('request');
      return requestView(row);
    },
  }),
]);
