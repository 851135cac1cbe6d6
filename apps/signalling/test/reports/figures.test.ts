// The monthly report's figures on a hand-made data set whose every cell is known in advance:
// two institutions whose local month is not the UTC month (Asia/Kamchatka, UTC+12, and
// Europe/Kaliningrad, UTC+2), with the default period (the 25th) and with the calendar month.
// Real PostgreSQL (a scratch database); the records are written as the product's writers leave
// them (states, history, visits, answers), so the figures' SQL reads what it will read in use.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { createPrisma, createScratchDatabase, type Prisma, type PrismaClient } from '@dp/db';
import { reportFormV1, type ConsultationState, type ReportFigures } from '@dp/protocol';
import {
  UnknownFigureError,
  departmentMonthFigures,
  figureRecords,
  institutionMonthFigures,
  periodOf,
  reportPeriod,
} from '../../src/reports/figures.ts';

const KAMCHATKA = 'Asia/Kamchatka';
const KALININGRAD = 'Europe/Kaliningrad';
const NOW = new Date('2026-12-10T00:00:00Z');
const opts = { now: NOW };
const WEEK = { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null, 7: null };

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let departmentId: string;
let kam: string;
let kal: string;
let specialistId: string;
/** Ids by the names the data set gives them (K1 … R10). */
const ids: Record<string, string> = {};

/** A local wall time 'YYYY-MM-DD HH:mm' in `zone` as a UTC instant. */
const at = (zone: string, local: string) => DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone }).toJSDate();
const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

/** Every row of the form: counts 0, averages and shares null, then the given cells. */
function figures(cells: ReportFigures): ReportFigures {
  const all = Object.fromEntries(reportFormV1.map((r) => [r.key, r.kind === 'count' ? 0 : null]));
  for (const key of Object.keys(cells)) expect(all).toHaveProperty([key]);
  return { ...all, ...cells };
}

async function request(
  name: string,
  institutionId: string,
  zone: string,
  data: Omit<
    Prisma.RequestUncheckedCreateInput,
    'institutionId' | 'year' | 'number' | 'receivedAt' | 'answerDueAt' | 'fromWhom' | 'reason'
  > & {
    received: string;
    due?: string;
  },
) {
  const { received, due, ...rest } = data;
  const r = await prisma.request.create({
    data: {
      institutionId,
      year: 2026,
      number: Object.keys(ids).length + 1,
      receivedAt: at(zone, received),
      answerDueAt: due ? at(zone, due) : null,
      fromWhom: data.anonymous ? 'Аноним' : 'Мать',
      reason: 'Трудности',
      ...rest,
    },
  });
  ids[name] = r.id;
  return r.id;
}

interface Held {
  started?: string | null;
  ended?: string;
  score?: number;
}

/** A consultation with its history: booked, then the given steps (each `[event, from, to]`). */
async function consultation(
  name: string,
  institutionId: string,
  zone: string,
  start: string,
  data: Partial<Prisma.ConsultationUncheckedCreateInput> & { held?: Held; steps?: [string, ConsultationState, ConsultationState, Date?][] },
) {
  const { held, steps = [], ...rest } = data;
  const startAt = at(zone, start);
  const c = await prisma.consultation.create({
    data: {
      institutionId,
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: rest.requestId ? 'on_request' : 'planned',
      start: startAt,
      durationMinutes: 60,
      ...(held
        ? {
            state: 'ended',
            startedAt: held.started === null ? null : at(zone, held.started ?? start),
            endedAt: held.ended ? at(zone, held.ended) : null,
            ...(held.score !== undefined
              ? {
                  qualitySummary: {
                    samples: 10,
                    scoreAvg: held.score,
                    scoreMin: held.score,
                    lossPercentAvg: 0,
                    lossPercentMax: 0,
                    rttMsAvg: 50,
                    rttMsMax: 80,
                    bitrateAvg: 500_000,
                    alerts: {},
                  },
                }
              : {}),
          }
        : {}),
      ...rest,
      specialists: { create: { specialistId } },
      transitions: {
        create: [
          { event: 'book', fromState: null, toState: 'planned', at: minutes(startAt, -7 * 24 * 60) },
          ...steps.map(([event, from, to, previousStart], i) => ({
            event,
            fromState: from,
            toState: to,
            at: minutes(startAt, -60 + i),
            previousStart: previousStart ?? null,
          })),
        ],
      },
    },
  });
  ids[name] = c.id;
  return c.id;
}

/** A client in the room: visits [from, to, audio-only minutes] (local times) and an optional feedback answer. */
async function client(consultationId: string, zone: string, visits: [string, string, number][], feedback?: number[]) {
  const p = await prisma.participant.create({ data: { consultationId, role: 'client', displayName: 'Клиент' } });
  for (const [from, to, audio] of visits) {
    await prisma.roomVisit.create({
      data: { consultationId, participantId: p.id, joinedAt: at(zone, from), leftAt: at(zone, to), audioOnlyMs: audio * 60_000 },
    });
  }
  if (feedback) {
    const [quality, topicMatch, comfort, clarity, usefulness, stateImproved, specialistWork] = feedback as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    await prisma.feedbackAnswer.create({
      data: { consultationId, participantId: p.id, quality, topicMatch, comfort, clarity, usefulness, stateImproved, specialistWork },
    });
  }
}

beforeAll(async () => {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('DATABASE_URL is not set: run through ./pnpm test (or . /tmp/dev-env.sh)');
  db = await createScratchDatabase(server);
  prisma = createPrisma(db.url, { poolSize: 3 });
  const department = await prisma.department.create({ data: { name: 'Департамент' } });
  departmentId = department.id;
  const other = await prisma.department.create({ data: { name: 'Другой' } });
  const institution = (name: string, timeZone: string, dep = departmentId) =>
    prisma.institution.create({ data: { departmentId: dep, name, timeZone, week: WEEK } });
  kam = (await institution('А. Камчатка', KAMCHATKA)).id;
  kal = (await institution('Б. Калининград', KALININGRAD)).id;
  const elsewhere = (await institution('В. Другой департамент', KAMCHATKA, other.id)).id;
  specialistId = (
    await prisma.staffUser.create({
      data: { email: 's@example.org', displayName: 'Специалист', role: 'specialist', departmentId, institutionId: kam },
    })
  ).id;
  const K = KAMCHATKA;

  // --- Kamchatka: requests (period 25: local Oct 25 … Nov 24; calendar: Nov 1 … Nov 30) ---
  await request('R1', kam, K, { channel: 'phone', received: '2026-11-05 10:00', due: '2026-11-06 18:00', status: 'scheduled' });
  await request('R2', kam, K, {
    channel: 'phone',
    recurrence: 'repeat',
    received: '2026-11-24 22:00',
    due: '2026-11-26 18:00',
    status: 'scheduled',
  });
  await request('R3', kam, K, {
    channel: 'visit',
    received: '2026-11-03 10:00',
    status: 'refused',
    refusalGround: 'outside_competence',
    decidedAt: at(K, '2026-11-04 10:00'),
  });
  await request('R4', kam, K, {
    channel: 'email',
    anonymous: true,
    contact: 'anon@example.org',
    received: '2026-11-01 10:00',
    due: '2026-11-04 18:00',
    status: 'scheduled',
  });
  await request('R5', kam, K, {
    channel: 'messenger',
    recurrence: 'repeat',
    received: '2026-11-19 10:00',
    due: '2026-11-22 18:00',
    status: 'completed',
    // Completed by its e-mail answer (K8): decided when the answer went out.
    decidedAt: at(K, '2026-11-20 15:00'),
  });
  await request('R6', kam, K, { channel: 'sms', received: '2026-11-20 10:00', due: '2026-11-21 18:00' });
  await request('R7', kam, K, { channel: 'sms', received: '2026-11-22 10:00', due: '2026-11-23 18:00', status: 'withdrawn' });
  await request('R9', kam, K, {
    channel: 'phone',
    received: '2026-11-21 10:00',
    due: '2026-11-22 18:00',
    status: 'refused',
    refusalGround: 'unethical_or_aggressive_behaviour',
    decidedAt: at(K, '2026-11-21 12:00'),
  });
  // Refused before its deadline, its result edited after it: still answered on time (the
  // decision's time counts, not the last change).
  await prisma.request.update({
    where: { id: ids.R9 },
    data: { result: 'Отказ разъяснён по телефону', updatedAt: at(K, '2026-11-23 09:00') },
  });
  await request('R10', kam, K, { channel: 'video_link', received: '2026-10-28 10:00', due: '2026-10-30 18:00' });
  // R5 was completed by the e-mail answer (its updated_at the real clock's now, later than the answer and its deadline).

  // --- Kamchatka: consultations ---
  const k1 = await consultation('K1', kam, K, '2026-11-10 10:00', {
    topic: 'family',
    requestId: ids.R1,
    held: { started: '2026-11-10 10:02', ended: '2026-11-10 10:47', score: 4.2 },
  });
  await client(k1, K, [['2026-11-10 10:02', '2026-11-10 10:47', 0]], [5, 5, 5, 4, 5, 4, 5]);
  // The dyad on the last evening of the default period: both families mostly in audio only
  // (one exactly half its time): it ran as «только звук».
  const k2 = await consultation('K2', kam, K, '2026-11-24 23:00', {
    kind: 'dyad',
    direction: 'client_client',
    held: { started: '2026-11-24 23:00', ended: '2026-11-24 23:30', score: 2.5 },
  });
  await client(k2, K, [['2026-11-24 23:00', '2026-11-24 23:30', 20]], [4, 4, 3, 3, 4, 3, 4]);
  await client(
    k2,
    K,
    [
      ['2026-11-24 23:00', '2026-11-24 23:10', 5],
      ['2026-11-24 23:15', '2026-11-24 23:30', 7.5],
    ],
    [2, 3, 3, 3, 4, 3, 4],
  );
  // By telephone, 20 minutes, just after the default period's end (local Nov 25, UTC Nov 24).
  await consultation('K3', kam, K, '2026-11-25 00:30', {
    form: 'phone',
    topic: 'legal_aid',
    requestId: ids.R2,
    held: { started: '2026-11-25 00:30', ended: '2026-11-25 00:50' },
    steps: [['held_by_phone', 'planned', 'ended']],
  });
  // Local December 1st, UTC November 30th: in neither November.
  await consultation('K4', kam, K, '2026-12-01 09:00', { topic: 'family', held: { ended: '2026-12-01 09:30', score: 1 } });
  await consultation('K5', kam, K, '2026-11-12 11:00', { state: 'cancelled', steps: [['cancel', 'planned', 'cancelled']] });
  // Moved from October 20th (the previous period) to November 15th: counted once, here; its
  // topic only in the protocol.
  // An older record of a move (a replaced row pointing to its successor): only the successor counts.
  await consultation('K10', kam, K, '2026-11-08 10:00', { state: 'cancelled', requestId: ids.R4 });
  const k6 = await consultation('K6', kam, K, '2026-11-15 10:00', {
    requestId: ids.R4,
    rescheduledFromId: ids.K10,
    held: { ended: '2026-11-15 10:40' },
    steps: [['reschedule', 'planned', 'planned', at(K, '2026-10-20 10:00')]],
  });
  await prisma.protocolVersion.create({ data: { consultationId: k6, version: 1, topic: 'crisis', authorId: specialistId } });
  await prisma.protocolVersion.create({ data: { consultationId: k6, version: 2, final: true, topic: 'personal', authorId: specialistId } });
  await prisma.emailAnswer.create({
    data: {
      consultationId: k6,
      requestId: ids.R4,
      toAddress: 'anon@example.org',
      body: 'Ответ',
      status: 'sent',
      sentAt: at(K, '2026-11-02 12:00'),
      authorId: specialistId,
    },
  });
  // A technical failure, a move, then nobody came.
  await consultation('K7', kam, K, '2026-11-18 16:00', {
    state: 'no_show',
    steps: [
      ['technical_failure', 'planned', 'failed'],
      ['reschedule', 'failed', 'planned', at(K, '2026-11-18 14:00')],
      ['room_opened', 'planned', 'open'],
      ['no_show', 'open', 'no_show'],
    ],
  });
  // By e-mail: the answer went out at 15:00 (no duration).
  const k8 = await consultation('K8', kam, K, '2026-11-20 12:00', {
    form: 'email',
    topic: 'learning',
    requestId: ids.R5,
    held: { started: null, ended: '2026-11-20 15:00' },
    steps: [['answered_by_email', 'planned', 'ended']],
  });
  await prisma.emailAnswer.create({
    data: {
      consultationId: k8,
      requestId: ids.R5,
      toAddress: 'f@example.org',
      body: 'Ответ',
      status: 'sent',
      sentAt: at(K, '2026-11-20 15:00'),
      authorId: specialistId,
    },
  });
  // A webinar for specialists of other institutions: an hour, score exactly 3 (not poor).
  const k9 = await consultation('K9', kam, K, '2026-11-05 15:00', {
    kind: 'webinar',
    direction: 'specialist_specialist',
    topic: 'crisis',
    held: { ended: '2026-11-05 16:00', score: 3 },
  });
  await client(k9, K, [['2026-11-05 15:00', '2026-11-05 16:00', 0]]);

  // --- Kaliningrad ---
  const L = KALININGRAD;
  await request('RL1', kal, L, { channel: 'video_link', received: '2026-10-25 00:10', due: '2026-10-27 18:00', status: 'scheduled' });
  await consultation('L1', kal, L, '2026-10-25 00:30', { topic: 'interpersonal', requestId: ids.RL1, held: { ended: '2026-10-25 01:00' } });
  await consultation('L2', kal, L, '2026-11-30 23:30', { topic: 'social_maladjustment', held: { ended: '2026-11-30 23:50' } });
  await consultation('L3', kal, L, '2026-12-01 00:30', { held: { ended: '2026-12-01 01:00' } });
  await consultation('L4', kal, L, '2026-10-24 23:30', { held: { ended: '2026-10-24 23:50' } });

  // --- another department's institution: never in this department's figures ---
  await consultation('X1', elsewhere, K, '2026-11-10 10:00', { held: { ended: '2026-11-10 10:30' } });
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const FEEDBACK_K = {
  'feedback.answers': 3,
  'feedback.quality': 3.67,
  'feedback.topic_match': 4,
  'feedback.comfort': 3.67,
  'feedback.clarity': 3.33,
  'feedback.usefulness': 4.33,
  'feedback.state_improved': 3.33,
  'feedback.specialist_work': 4.33,
};

/** Kamchatka, both periods: everything but the telephone consultation K3 (and its request R2's side). */
const COMMON_K = {
  'direction.specialist_specialist': 1,
  'direction.client_client': 1,
  'kind.webinar': 1,
  'kind.dyad': 1,
  'topic.family': 1,
  'topic.personal': 1,
  'topic.learning': 1,
  'topic.crisis': 1,
  'topic.unset': 1,
  'channel.email': 1,
  'channel.messenger': 1,
  'channel.none': 2,
  'form.online_video': 3,
  'form.online_audio': 1,
  'form.email': 1,
  'requests.answered_on_time': 5,
  'requests.answered_late': 1,
  'refusals.outside_competence': 1,
  'refusals.unethical_or_aggressive_behaviour': 1,
  'problems.no_show': 1,
  'problems.technical_failure': 1,
  'problems.rescheduled': 2,
  'problems.cancelled': 1,
  'quality.poor_share': 33.3,
  ...FEEDBACK_K,
};

describe('report figures (default period: from the 25th)', () => {
  it('puts the period at local midnights of the 25th', async () => {
    expect(await reportPeriod(prisma, kam, '2026-11')).toEqual({
      month: '2026-11',
      from: new Date('2026-10-24T12:00:00Z'),
      to: new Date('2026-11-24T12:00:00Z'),
      timeZone: KAMCHATKA,
    });
    expect(periodOf('2026-01', 25, KALININGRAD)).toMatchObject({
      from: new Date('2025-12-24T22:00:00Z'),
      to: new Date('2026-01-24T22:00:00Z'),
    });
    expect(periodOf('2026-11', 1, KALININGRAD)).toMatchObject({
      from: new Date('2026-10-31T22:00:00Z'),
      to: new Date('2026-11-30T22:00:00Z'),
    });
    expect(() => periodOf('2026-13', 25, KAMCHATKA)).toThrow();
  });

  it('computes every cell of Kamchatka', async () => {
    expect(await institutionMonthFigures(prisma, kam, '2026-11', opts)).toEqual(
      figures({
        ...COMMON_K,
        'consultations.held': 5,
        'direction.specialist_client': 3,
        'kind.one_to_one': 3,
        'recurrence.first': 4,
        'recurrence.repeat': 1,
        'channel.phone': 1,
        'requests.received': 9,
        'requests.overdue_unanswered': 2,
        'quality.average_minutes': 43.8,
      }),
    );
  });

  it('computes every cell of Kaliningrad, and the department in one pass', async () => {
    const kalFigures = figures({
      'consultations.held': 1,
      'direction.specialist_client': 1,
      'kind.one_to_one': 1,
      'topic.interpersonal': 1,
      'recurrence.first': 1,
      'channel.video_link': 1,
      'form.online_video': 1,
      'requests.received': 1,
      'requests.answered_on_time': 1,
      'quality.average_minutes': 30,
    });
    expect(await institutionMonthFigures(prisma, kal, '2026-11', opts)).toEqual(kalFigures);
    const department = await departmentMonthFigures(prisma, departmentId, '2026-11', opts);
    expect([...department.keys()]).toEqual([kam, kal]);
    expect(department.get(kal)).toEqual(kalFigures);
    expect(department.get(kam)).toEqual(await institutionMonthFigures(prisma, kam, '2026-11', opts));
    // Inside a caller's transaction (the head's submission freezes the figures in one).
    expect(await prisma.$transaction((tx) => institutionMonthFigures(tx, kal, '2026-11', opts))).toEqual(kalFigures);
  });

  it('lists the records behind a figure', async () => {
    const of = (...names: string[]) => names.map((n) => ids[n]);
    expect(await figureRecords(prisma, kam, '2026-11', 'consultations.held', opts)).toEqual({
      consultationIds: of('K9', 'K1', 'K6', 'K8', 'K2'),
      requestIds: [],
    });
    expect((await figureRecords(prisma, kam, '2026-11', 'problems.rescheduled', opts)).consultationIds).toEqual(of('K6', 'K7'));
    expect((await figureRecords(prisma, kam, '2026-11', 'form.online_audio', opts)).consultationIds).toEqual(of('K2'));
    expect((await figureRecords(prisma, kam, '2026-11', 'feedback.comfort', opts)).consultationIds).toEqual(of('K1', 'K2'));
    expect((await figureRecords(prisma, kam, '2026-11', 'quality.poor_share', opts)).consultationIds).toEqual(of('K2'));
    expect(await figureRecords(prisma, kam, '2026-11', 'requests.overdue_unanswered', opts)).toEqual({
      consultationIds: [],
      requestIds: of('R10', 'R6'),
    });
    expect((await figureRecords(prisma, kam, '2026-11', 'requests.answered_on_time', opts)).requestIds).toEqual(
      of('R4', 'R3', 'R5', 'R9', 'R2'),
    );
    await expect(figureRecords(prisma, kam, '2026-11', 'no.such', opts)).rejects.toBeInstanceOf(UnknownFigureError);
  });
});

describe('report figures (calendar month: start day 1)', () => {
  beforeAll(async () => {
    await prisma.department.update({ where: { id: departmentId }, data: { reportPeriodStartDay: 1 } });
  });
  afterAll(async () => {
    await prisma.department.update({ where: { id: departmentId }, data: { reportPeriodStartDay: 25 } });
  });

  it('computes every cell of both institutions', async () => {
    const department = await departmentMonthFigures(prisma, departmentId, '2026-11', opts);
    expect(department.get(kam)).toEqual(
      figures({
        ...COMMON_K,
        'consultations.held': 6,
        'direction.specialist_client': 4,
        'kind.one_to_one': 4,
        'topic.legal_aid': 1,
        'recurrence.first': 4,
        'recurrence.repeat': 2,
        'channel.phone': 2,
        'form.phone': 1,
        'requests.received': 8,
        'requests.overdue_unanswered': 1,
        'quality.average_minutes': 39,
      }),
    );
    expect(department.get(kal)).toEqual(
      figures({
        'consultations.held': 1,
        'direction.specialist_client': 1,
        'kind.one_to_one': 1,
        'topic.social_maladjustment': 1,
        'recurrence.first': 1,
        'channel.none': 1,
        'form.online_video': 1,
        'quality.average_minutes': 20,
      }),
    );
  });
});
