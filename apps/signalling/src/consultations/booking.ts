// Booking one consultation, or the same one at several dates (a series), inside the
// transaction that holds the specialists' locks: each date checked against the timetable
// (rules 1–3), all or nothing. The clients come from the body (by name and e-mail), from the
// institution's registry (clientId), from a pasted list, or with a dyad.
import type { Institution as InstitutionRow, TransactionClient } from '@dp/db';
import { clientRoleIn, staffRoleIn, type ClientInput, type CreateConsultationSeriesBody } from '@dp/protocol';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../api/actor.ts';
import { audit } from '../api/audit.ts';
import { fieldRuleViolation, notFound, violationsError } from '../api/errors.ts';
import { lockSpecialists } from '../api/records.ts';
import { workingCalendar } from '../api/working-calendar.ts';
import { requestStatusData } from '../journal/request-status.ts';
import { bookConsultation } from './lifecycle-writer.ts';
import { timetableViolations } from './timetable-check.ts';

/** A client as a participant row takes it. */
export interface NewClient {
  displayName: string | null;
  email: string | null;
}

type Booking = Omit<CreateConsultationSeriesBody, 'starts'>;

/**
 * The clients of a body: registry clients (`clientId`, of this institution and not archived)
 * give their representative's name and e-mail unless the body names others; then the pasted list.
 */
export async function resolveClients(
  db: TransactionClient,
  institutionId: string,
  clients: readonly ClientInput[],
  listed: readonly { displayName?: string; email: string }[] = [],
  field = 'clients',
): Promise<NewClient[]> {
  const ids = clients.map((c) => c.clientId).filter((id): id is string => id !== undefined);
  const rows =
    ids.length === 0
      ? []
      : await db.client.findMany({
          where: { id: { in: ids }, institutionId, archivedAt: null },
          select: { id: true, representativeName: true, email: true },
        });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = clients.flatMap((c, i) => (c.clientId !== undefined && !byId.has(c.clientId) ? [i] : []));
  if (missing.length > 0) {
    throw notFound('client', Object.fromEntries(missing.map((i) => [`${field}.${i}.clientId`, 'no such client in this institution'])));
  }
  return [
    ...clients.map((c) => {
      const row = c.clientId !== undefined ? byId.get(c.clientId) : undefined;
      return { displayName: c.displayName ?? row?.representativeName ?? null, email: c.email ?? row?.email ?? null };
    }),
    ...listed.map((p) => ({ displayName: p.displayName ?? null, email: p.email })),
  ];
}

/** A dyad's two clients (from the registry), or 404 when the dyad is not this institution's. */
export async function clientsOfDyad(db: TransactionClient, institutionId: string, dyadId: string): Promise<NewClient[]> {
  const dyad = await db.dyad.findFirst({
    where: { id: dyadId, institutionId },
    select: {
      client1: { select: { representativeName: true, email: true } },
      client2: { select: { representativeName: true, email: true } },
    },
  });
  if (!dyad) throw notFound('dyad', { dyadId: 'no such dyad in this institution' });
  return [dyad.client1, dyad.client2].map((c) => ({ displayName: c.representativeName, email: c.email }));
}

/**
 * Books `body` at each of `starts` (one date: a single consultation) and returns the new ids in
 * the order of `starts`. Any date breaking a rule: nothing is kept (the caller's transaction
 * rolls back) and the error names the failing dates (`starts.N`); a single date keeps the
 * error of consultations.create (the violations list).
 */
export async function bookSeries(
  tx: TransactionClient,
  ctx: { institution: InstitutionRow; actor: Actor; now: Date },
  body: Booking,
  starts: readonly Date[],
  specialists: readonly { id: string; displayName: string }[],
  series: boolean,
): Promise<string[]> {
  const { institution, actor, now } = ctx;
  await lockSpecialists(tx, body.specialistIds);
  const clients = body.dyadId
    ? await clientsOfDyad(tx, institution.id, body.dyadId)
    : await resolveClients(tx, institution.id, body.clients, body.emailList ?? []);
  const seriesId = series ? randomUUID() : null;
  const ids: string[] = [];
  const failed: Record<string, string> = {};
  for (const [i, requested] of starts.entries()) {
    // By e-mail: no time is held; the consultation is dated when it is booked.
    const start = body.form === 'email' ? now : requested;
    // Each date against the timetable, and against the dates of this series already booked here.
    const violations =
      body.form === 'email'
        ? []
        : await timetableViolations(
            tx,
            workingCalendar(institution, start),
            {
              specialistIds: body.specialistIds,
              start,
              durationMinutes: body.durationMinutes,
              ...(body.form === 'phone' ? { precheck: false } : {}),
            },
            now,
          );
    if (violations.length > 0) {
      if (!series) throw violationsError(violations);
      failed[`starts.${i}`] = [...new Set(violations.map((v) => v.code))].join(', ');
      continue;
    }
    const id = await bookConsultation(
      tx,
      {
        institutionId: institution.id,
        kind: body.kind,
        direction: body.direction,
        mode: body.mode,
        form: body.form,
        start,
        durationMinutes: body.durationMinutes,
        topic: body.topic ?? null,
        note: body.note ?? null,
        requestId: body.requestId ?? null,
        openFloor: body.openFloor,
        dyadId: body.dyadId ?? null,
        seriesId,
        // Who booked: one of those who may hand the client's link over (links.ts).
        createdById: actor.id,
        specialists: { create: body.specialistIds.map((specialistId) => ({ specialistId })) },
        participants: {
          create: [
            ...specialists.map((s, n) => ({ role: staffRoleIn(body.kind, n), staffUserId: s.id, displayName: s.displayName })),
            ...clients.map((c) => ({ role: clientRoleIn(body.kind), displayName: c.displayName, email: c.email })),
          ],
        },
      },
      { actorId: actor.id, at: now },
    );
    ids.push(id);
    await audit(tx, actor, {
      action: 'consultation.created',
      targetType: 'consultation',
      targetId: id,
      institutionId: institution.id,
      details: {
        kind: body.kind,
        form: body.form,
        start: start.toISOString(),
        durationMinutes: body.durationMinutes,
        specialists: body.specialistIds.length,
        clients: clients.length,
        openFloor: body.openFloor,
        ...(seriesId ? { seriesId } : {}),
        ...(body.dyadId ? { dyadId: body.dyadId } : {}),
      },
    });
  }
  if (Object.keys(failed).length > 0) throw fieldRuleViolation(failed);
  if (body.requestId) {
    await tx.request.updateMany({
      where: { id: body.requestId, status: { in: ['new', 'assigned'] } },
      data: requestStatusData('scheduled', now),
    });
  }
  return ids;
}
