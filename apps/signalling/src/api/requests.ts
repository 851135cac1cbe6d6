// The request journal (журнал регистрации заявок): numbered per institution per year, with
// the date by which the client must have an answer.
import { allocateRequestNumber, institutionCalendar, yearIn, type Request as RequestRow } from '@dp/db';
import { contract, JournalRequest } from '@dp/protocol';
import { ANSWER_WORKING_DAYS, answerDeadline, type RequestChannel as DeadlineChannel } from '@dp/scheduling';
import { audit } from './audit.ts';
import { notFound } from './errors.ts';
import { staffOfInstitution } from './records.ts';
import { defineRoute, routeTable } from './route.ts';

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
    recurrence: row.recurrence,
    reason: row.reason,
    address: row.address,
    socialStatus: row.socialStatus,
    responsibleSpecialistId: row.responsibleSpecialistId,
    registeredById: row.registeredById,
    status: row.status,
    result: row.result,
    answerDueAt: row.answerDueAt?.toISOString() ?? null,
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
      const rows = await deps.prisma.request.findMany({
        where: {
          institutionId: institution.id,
          // The `own` scope: the requests the caller is responsible for.
          ...(access.ownerId ? { responsibleSpecialistId: access.ownerId } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.from || query.to
            ? { receivedAt: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) } }
            : {}),
        },
        orderBy: [{ receivedAt: 'asc' }, { number: 'asc' }],
      });
      return { requests: rows.map(requestView) };
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
      const calendar = institutionCalendar(institution);
      const receivedAt = body.receivedAt ? new Date(body.receivedAt) : deps.now();
      const answerDueAt = hasDeadline(body.channel) ? answerDeadline(calendar, receivedAt, body.channel) : null;
      const year = yearIn(receivedAt, calendar.timeZone);
      const row = await deps.prisma.$transaction(async (tx) => {
        // Inside the transaction: a rollback gives the number back, so the journal has no gaps.
        const number = await allocateRequestNumber(tx, institution.id, year);
        const created = await tx.request.create({
          data: {
            institutionId: institution.id,
            year,
            number,
            receivedAt,
            channel: body.channel,
            contact: body.contact ?? null,
            fromWhom: body.fromWhom,
            representativeName: body.representativeName ?? null,
            childName: body.childName ?? null,
            childAge: body.childAge ?? null,
            anonymous: body.anonymous,
            recurrence: body.recurrence,
            reason: body.reason,
            address: body.address ?? null,
            socialStatus: body.socialStatus ?? null,
            responsibleSpecialistId: body.responsibleSpecialistId ?? null,
            // The signed-in caller is the author, never a name from the body.
            registeredById: actor.type === 'staff' ? actor.id : null,
            status: body.responsibleSpecialistId ? 'assigned' : 'new',
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
            ...(status !== undefined ? { status } : {}),
            ...(body.responsibleSpecialistId !== undefined ? { responsibleSpecialistId: body.responsibleSpecialistId } : {}),
            ...(body.result !== undefined ? { result: body.result } : {}),
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
]);
