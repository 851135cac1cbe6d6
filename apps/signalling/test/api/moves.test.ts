// Booking from a request, moves and cancellations with a reason category, move proposals the
// head approves, and the head's technical-failure list — through the real API on a real
// PostgreSQL, with the e-mail sent by the real Notifier to a real SMTP server (smtp-capture).
// Omsk is UTC+6 all year: 09:30 local = 03:30Z. March 2026: the 2nd is a Monday.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type {
  Consultation,
  ConsultationList,
  FreeSlots,
  Institution,
  InvitationReport,
  MoveProposal,
  MoveProposalList,
} from '@dp/protocol';
import type { Notifier } from '../../src/notify/index.ts';
import type { SmtpCapture } from '../smtp-capture.ts';
import { OMSK_CALENDAR, createTestDatabase, startApi, startMail, type ApiUnderTest, type Identity } from './support.ts';

const NOW = new Date('2026-03-01T00:00:00Z');
const CLIENT_EMAIL = 'family@example.org';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let smtp: SmtpCapture;
let notifier: Notifier;
let institution: Institution;
let head: Identity;
let specialist: Identity;
let worker1: Identity;
let worker2: Identity;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  ({ smtp, notifier } = await startMail(prisma));
  // One test moves the clock nine days ahead (a pre-check on the day): sessions outlive it.
  api = await startApi({ prisma, now: NOW, notifier, session: { idleSeconds: 30 * 86400, absoluteSeconds: 60 * 86400 } });
  const created = await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR });
  expect(created.status).toBe(201);
  institution = created.body;
  head = await api.staff('head', institution.id);
  specialist = await api.staff('specialist', institution.id);
  worker1 = await api.staff('social_worker', institution.id);
  worker2 = await api.staff('social_worker', institution.id);
  await prisma.specialistMonthSchedule.create({
    data: {
      specialistId: specialist.user.id,
      month: '2026-03',
      status: 'approved',
      approvedAt: NOW,
      blocks: {
        create: ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-10', '2026-03-11'].map((date) => ({
          date,
          start: '09:00',
          end: '16:00',
        })),
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await notifier?.close();
  await api?.close();
  await smtp?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const booking = (start: string, email: string | undefined = CLIENT_EMAIL) => ({
  kind: 'one_to_one',
  direction: 'specialist_client',
  mode: 'on_request',
  specialistIds: [specialist.user.id],
  start,
  durationMinutes: 45,
  clients: [{ displayName: 'Петрова Анна', ...(email ? { email } : {}) }],
});
const book = (who: Identity, start: string, email?: string) =>
  api.as(who).post<Consultation>(`/institutions/${institution.id}/consultations`, booking(start, email));

/** The mails that arrived since `from`, after every background send finished. */
async function mailsSince(from: number) {
  await notifier.idle();
  return smtp.mails.slice(from);
}

describe('booking', () => {
  test('two social workers book one slot at once: one gets it, the other a 409 conflict, and the slot is gone', async () => {
    const start = '2026-03-03T04:00:00Z'; // 10:00 local
    const [a, b] = await Promise.all([book(worker1, start), book(worker2, start)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.error.code).toBe('conflict');
    expect((loser.error.details as { violations: { code: string }[] }).violations.map((v) => v.code)).toContain('overlaps_booking');
    const slots = await api
      .as(worker1)
      .get<FreeSlots>(
        `/institutions/${institution.id}/specialists/${specialist.user.id}/free-slots?from=2026-03-02T18:00:00Z&to=2026-03-03T18:00:00Z&durationMinutes=45`,
      );
    expect(slots.status).toBe(200);
    expect(slots.body.slots).not.toContain(start);
    expect(slots.body.slots.length).toBeGreaterThan(0);
  });

  test('the invitation report: sent to the address; no address → no_email', async () => {
    const withEmail = await book(worker1, '2026-03-04T03:30:00Z');
    const without = await book(worker1, '2026-03-04T05:00:00Z', '');
    expect([withEmail.status, without.status]).toEqual([201, 201]);
    await notifier.idle();
    const sent = await api.as(worker1).get<InvitationReport>(`/consultations/${withEmail.body.id}/invitation`);
    expect(sent.body.status).toBe('sent');
    const none = await api.as(worker1).get<InvitationReport>(`/consultations/${without.body.id}/invitation`);
    expect(none.body).toMatchObject({ status: 'no_email', clients: [{ status: 'no_email' }] });
  });
});

describe('cancellations carry a category for the client; the note stays with staff', () => {
  test('cancel without a category is a 400 on that field', async () => {
    const c = await book(worker1, '2026-03-05T03:30:00Z');
    const res = await api.as(worker1).post(`/consultations/${c.body.id}/cancel`, { reason: 'звонила мама', version: c.body.version });
    expect(res.status).toBe(400);
    expect(Object.keys(res.error.details as object)).toEqual(['reasonCategory']);
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id: c.body.id } })).state).toBe('planned');
  });

  test('a social worker records the client’s cancellation; the mail says «по вашей просьбе», never the note', async () => {
    const c = await book(worker1, '2026-03-05T05:00:00Z');
    const from = (await mailsSince(0)).length;
    const res = await api.as(worker2).post<Consultation>(`/consultations/${c.body.id}/cancel`, {
      reasonCategory: 'client_request',
      reason: 'Ребёнок заболел, перезвонить в пятницу',
      version: c.body.version,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'cancelled', changeReason: 'client_request' });
    const mails = await mailsSince(from);
    const cancelled = mails.find((m) => m.subject?.includes('отменена'));
    expect(cancelled?.text).toContain('Причина: по вашей просьбе.');
    expect(cancelled?.text).not.toContain('перезвонить');
  });
});

describe('move proposals: proposed by a specialist or a social worker, approved by the head', () => {
  let c: Consultation;

  test('a proposal waits for the head; a second one withdraws the first; a busy time is refused', async () => {
    c = (await book(worker1, '2026-03-04T08:30:00Z')).body; // 14:30 local
    const proposals = `/consultations/${c.id}/move-proposals`;
    const first = await api
      .as(specialist)
      .post<MoveProposal>(proposals, { start: '2026-03-05T06:00:00Z', reasonCategory: 'specialist_ill' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending', proposedById: specialist.user.id, reasonCategory: 'specialist_ill' });
    const second = await api
      .as(worker1)
      .post<MoveProposal>(proposals, { start: '2026-03-05T08:30:00Z', reasonCategory: 'specialist_ill', note: 'мама просит после обеда' });
    expect(second.status).toBe(201);
    const busy = await api.as(worker1).post(proposals, { start: '2026-03-03T04:00:00Z' }); // taken in the first test
    expect(busy.status).toBe(409);
    const pending = await api.as(head).get<MoveProposalList>(`/institutions/${institution.id}/move-proposals`);
    expect(pending.body.proposals.map((p) => p.id)).toEqual([second.body.id]);
    expect(pending.body.proposals[0]!.consultation.start).toBe(c.start);
    const withdrawn = await prisma.consultationMoveProposal.findUniqueOrThrow({ where: { id: first.body.id } });
    expect(withdrawn.status).toBe('withdrawn');
    // Only heads (and admins) decide.
    expect((await api.as(worker1).post(`/move-proposals/${second.body.id}/approve`)).status).toBe(403);
    expect((await api.as(specialist).post(`/move-proposals/${second.body.id}/approve`)).status).toBe(403);
  });

  test('the head approves with one click: moved, the client told with the category, the previous time kept', async () => {
    const [proposal] = (await api.as(head).get<MoveProposalList>(`/institutions/${institution.id}/move-proposals`)).body.proposals;
    const from = (await mailsSince(0)).length;
    const approved = await api.as(head).post<Consultation>(`/move-proposals/${proposal!.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ start: '2026-03-05T08:30:00.000Z', state: 'planned', changeReason: 'specialist_ill' });
    const again = await api.as(head).post(`/move-proposals/${proposal!.id}/approve`);
    expect(again.status).toBe(409);
    const history = await prisma.consultationTransition.findMany({ where: { consultationId: c.id, event: 'reschedule' } });
    expect(history.map((h) => h.previousStart?.toISOString())).toEqual([new Date(c.start).toISOString()]);
    const mails = await mailsSince(from);
    const moved = mails.find((m) => m.subject?.includes('перенесена'));
    expect(moved?.text).toContain('Причина: по болезни специалиста.');
    expect(moved?.text).not.toContain('после обеда');
  });

  test('a rejected proposal leaves the consultation where it was', async () => {
    const before = (await api.as(head).get<Consultation>(`/consultations/${c.id}`)).body;
    const p = await api.as(specialist).post<MoveProposal>(`/consultations/${c.id}/move-proposals`, { start: '2026-03-05T09:15:00Z' });
    expect(p.status).toBe(201);
    const rejected = await api.as(head).post<MoveProposal>(`/move-proposals/${p.body.id}/reject`, {});
    expect(rejected.body.status).toBe('rejected');
    expect((await api.as(head).post(`/move-proposals/${p.body.id}/approve`)).status).toBe(409);
    const after = (await api.as(head).get<Consultation>(`/consultations/${c.id}`)).body;
    expect([after.start, after.version]).toEqual([before.start, before.version]);
  });
});

describe("the head's technical-failure list", () => {
  test('failed → on the list → a new time → planned, off the list, and the client mailed with the category', async () => {
    const c = (await book(worker1, '2026-03-10T03:30:00Z')).body;
    const failed = await api.as(specialist).post(`/consultations/${c.id}/technical-failure`, {});
    expect(failed.status).toBe(200);
    const failures = () => api.as(head).get<ConsultationList>(`/institutions/${institution.id}/consultation-failures`);
    expect((await failures()).body.consultations.map((x) => [x.id, x.state])).toEqual([[c.id, 'failed']]);
    // Social workers and specialists do not see the list.
    expect((await api.as(worker1).get(`/institutions/${institution.id}/consultation-failures`)).status).toBe(403);

    const from = (await mailsSince(0)).length;
    const current = (await api.as(head).get<Consultation>(`/consultations/${c.id}`)).body;
    const moved = await api.as(head).post<Consultation>(`/consultations/${c.id}/reschedule`, {
      start: '2026-03-11T03:30:00Z',
      version: current.version,
      reasonCategory: 'technical',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ state: 'planned', changeReason: 'technical', technicalFailureAt: null });
    expect((await failures()).body.consultations).toEqual([]);
    const mails = await mailsSince(from);
    const mail = mails.find((m) => m.subject?.includes('перенесена'));
    expect(mail?.text).toContain('Причина: технические причины.');
    expect(mail?.text).toContain('Новое время: среда, 11 марта 2026 г., 09:30');
  });

  test('a failed pre-check moved to later the same morning leaves the list (the check was for the old time)', async () => {
    // 14:30 in Omsk; the check fails at 13:40; the head moves it to 15:00 at 13:41 — the old
    // check lies within two hours of the new start too, but was made before the move.
    const booked = await book(worker1, '2026-03-10T08:30:00Z');
    expect([booked.status, booked.error]).toEqual([201, undefined]);
    const c = booked.body;
    api.clock.now = new Date('2026-03-10T07:40:00Z');
    try {
      await prisma.precheckResult.create({
        data: { consultationId: c.id, specialistId: specialist.user.id, passed: false, at: api.clock.now },
      });
      const list = () => api.as(head).get<ConsultationList>(`/institutions/${institution.id}/consultation-failures`);
      expect((await list()).body.consultations.map((x) => x.id)).toEqual([c.id]);
      api.clock.now = new Date('2026-03-10T07:41:00Z');
      const moved = await api.as(head).post(`/consultations/${c.id}/reschedule`, { start: '2026-03-10T09:00:00Z', version: c.version });
      expect(moved.status).toBe(200);
      expect((await list()).body.consultations).toEqual([]);
    } finally {
      api.clock.now = NOW;
    }
  });

  test('a failed pre-check of a planned consultation is on the list until it is moved', async () => {
    const c = (await book(worker1, '2026-03-10T06:00:00Z')).body;
    await prisma.precheckResult.create({
      data: { consultationId: c.id, specialistId: specialist.user.id, passed: false, at: new Date(Date.parse(c.start) - 20 * 60_000) },
    });
    const list = await api.as(head).get<ConsultationList>(`/institutions/${institution.id}/consultation-failures`);
    expect(list.body.consultations.map((x) => x.id)).toEqual([c.id]);
    const moved = await api.as(head).post(`/consultations/${c.id}/reschedule`, { start: '2026-03-11T06:00:00Z', version: c.version });
    expect(moved.status).toBe(200);
    expect((await api.as(head).get<ConsultationList>(`/institutions/${institution.id}/consultation-failures`)).body.consultations).toEqual(
      [],
    );
  });
});
