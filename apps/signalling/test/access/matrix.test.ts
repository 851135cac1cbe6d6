// The permission matrix (packages/protocol/src/permissions.ts) against the real router, case
// by case, GENERATED from the matrix: every REST route × every role (and nobody signed in) ×
// a record of the caller's own institution, of another institution of the same department
// and of another department — and, where the matrix grants `own`, the caller's own record and
// a colleague's. The expected answer is read from the matrix, never written by hand:
//   allowed            → the route's own 2xx
//   nobody signed in   → 401 unauthenticated (public routes excepted)
//   outside the reach  → 404 not_found (admin: another department; others: another institution)
//   no grant           → 403 forbidden
//   `own`, not theirs  → 404 not_found
// Every route needs an entry in FIXTURES (a valid request built from fresh records): a new
// endpoint without one fails here, as does a route the matrix does not know.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { generateSync } from 'otplib';
import { allocateRequestNumber, createPrisma, type PrismaClient, type StaffRole } from '@dp/db';
import {
  contract,
  grantOf,
  permissions,
  staffRoles,
  type Action,
  type Consultation,
  type JournalRequest,
  type Operation,
  type OperationName,
} from '@dp/protocol';
import { apiRoutes, defineRoute, RouteRegistry, type ApiRoute } from '../../src/api/index.ts';
import { issuePasswordLink } from '../../src/auth/password-links.ts';
import { newTotpSecret } from '../../src/auth/totp.ts';
import { bookConsultation } from '../../src/consultations/lifecycle-writer.ts';
import { type SmtpCapture } from '../smtp-capture.ts';
import {
  OMSK_CALENDAR,
  TEST_PASSWORD,
  createTestDatabase,
  links,
  startApi,
  startMail,
  type ApiUnderTest,
  type Identity,
} from '../api/support.ts';

let smtp: SmtpCapture | undefined;

// A route's cases run concurrently (ONE_AT_A_TIME): more than the 5 s default, however busy the machine.
jest.setTimeout(30_000);

const NOW = new Date('2026-03-01T00:00:00Z');
const MONTH = '2026-03';

type Principal = StaffRole | 'anonymous';
/** own: the caller's institution; sibling: another institution of the same department; foreign: another department's. */
type Target = 'own' | 'sibling' | 'foreign';
/** For `own` grants: the caller's record or a colleague's; null: somebody's, it does not matter. */
type Ownership = 'mine' | 'colleague' | null;
type Verdict = 'allowed' | 401 | 403 | 404;

interface Inst {
  id: string;
  departmentId: string;
  headId: string;
}

interface Ctx {
  /** Null: nobody signed in. */
  caller: Identity | null;
  /** The institution whose records the call touches. */
  inst: Inst;
  /** A specialist of `inst` with an approved schedule for March — the caller when the case is about their own record. */
  owner(): Promise<string>;
}

/** A valid request of the route: path (with its query) and body; the method is the route's. */
interface Call {
  path: string;
  body?: unknown;
}
type Fixture = (ctx: Ctx) => Promise<Call> | Call;

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
const institutions = {} as Record<Target, Inst>;

// --- records, made fresh for every case so that cases never depend on each other -----------

async function withApprovedSchedule(specialistId: string): Promise<string> {
  await prisma.specialistMonthSchedule.create({
    data: {
      specialistId,
      month: MONTH,
      status: 'approved',
      approvedAt: NOW,
      blocks: {
        create: [
          { date: '2026-03-03', start: '09:00', end: '16:00' },
          { date: '2026-03-04', start: '09:00', end: '16:00' },
        ],
      },
    },
  });
  return specialistId;
}

/**
 * A member of staff of `inst` (admin: of its department) with a live session. The department is
 * passed, not looked up: a query less for each of the ~2 000 people the cases make.
 */
function staffOf(role: StaffRole, inst: Inst, opts: { password?: boolean } = {}): Promise<Identity> {
  return api.staff(role, role === 'admin' ? null : inst.id, { ...opts, departmentId: inst.departmentId });
}

/** A specialist of `inst` (no session: the cases only refer to them) with an approved schedule for March. */
async function newSpecialist(inst: Inst): Promise<string> {
  return withApprovedSchedule((await api.person('specialist', inst.id, { departmentId: inst.departmentId })).id);
}

/** A planned consultation of `specialistId` on Tuesday 3 March, 09:30 in Omsk. */
/** A consultation with a protocol's first version (not final, every required field filled). */
async function protocolOf(institutionId: string, specialistId: string): Promise<string> {
  const consultationId = await consultationOf(institutionId, specialistId);
  await prisma.protocolVersion.create({
    data: { consultationId, version: 1, reason: 'Запрос', topic: 'family', solution: 'Рекомендации', authorId: specialistId },
  });
  return consultationId;
}

/** A consultation with one file in its protocol. */
async function protocolFileOf(institutionId: string, specialistId: string): Promise<{ id: string; consultationId: string }> {
  const consultationId = await consultationOf(institutionId, specialistId);
  const data = new TextEncoder().encode('Памятка');
  return prisma.protocolFile.create({
    data: {
      consultationId,
      name: 'памятка.txt',
      mime: 'text/plain; charset=utf-8',
      sizeBytes: data.length,
      sha256: '0'.repeat(64),
      data,
      uploadedById: specialistId,
    },
    select: { id: true, consultationId: true },
  });
}

async function consultationOf(
  institutionId: string,
  specialistId: string,
  form: 'online' | 'phone' | 'email' = 'online',
  createdById: string | null = null,
): Promise<string> {
  // Booked through the lifecycle's writer (`planned`, with its first history row).
  return bookConsultation(
    prisma,
    {
      institutionId,
      ...(createdById ? { createdById } : {}),
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      form,
      // By telephone: its time has come (the outcome may be recorded); the others are ahead.
      start: new Date(form === 'phone' ? '2026-02-27T03:30:00Z' : '2026-03-03T03:30:00Z'),
      durationMinutes: 60,
      specialists: { create: [{ specialistId }] },
      participants: {
        create: [
          { role: 'specialist', staffUserId: specialistId, displayName: 'Специалист' },
          { role: 'client', displayName: 'Клиент', ...(form === 'email' ? { email: 'client@example.test' } : {}) },
        ],
      },
    },
    { actorId: null, at: new Date() },
  );
}

/** A consultation of `specialistId` booked by the caller (createdById), and its client participant. */
async function bookedBy(institutionId: string, specialistId: string, caller: Identity | null): Promise<{ id: string; clientId: string }> {
  const id = await consultationOf(institutionId, specialistId, 'online', caller?.user.id ?? null);
  const client = await prisma.participant.findFirstOrThrow({ where: { consultationId: id, role: 'client' } });
  return { id, clientId: client.id };
}

/** A pending move proposal (to Wednesday 4 March, 10:00 in Omsk) of a consultation of the owner. */
async function proposalOf({ inst, owner }: Ctx): Promise<string> {
  const consultationId = await consultationOf(inst.id, await owner());
  const row = await prisma.consultationMoveProposal.create({
    data: { consultationId, proposedById: inst.headId, start: new Date('2026-03-04T04:00:00Z'), durationMinutes: 60 },
  });
  return row.id;
}

async function requestOf(institutionId: string, responsibleSpecialistId: string | null, clientId?: string): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const number = await allocateRequestNumber(tx, institutionId, 2026);
    const row = await tx.request.create({
      data: {
        institutionId,
        year: 2026,
        number,
        receivedAt: NOW,
        channel: 'phone',
        fromWhom: 'Мать',
        reason: 'Просьба о консультации',
        responsibleSpecialistId,
        ...(clientId ? { clientId } : {}),
        status: responsibleSpecialistId ? 'assigned' : 'new',
      },
    });
    return row.id;
  });
}

/** A client of the registry with one request, `responsibleSpecialistId` responsible for it. */
/** A planned webinar hosted by `specialistId` (participants are added to it). */
async function webinarOf(institutionId: string, specialistId: string): Promise<string> {
  return bookConsultation(
    prisma,
    {
      institutionId,
      kind: 'webinar',
      direction: 'specialist_client',
      mode: 'planned',
      start: new Date('2026-03-03T03:30:00Z'),
      durationMinutes: 60,
      specialists: { create: [{ specialistId }] },
      participants: { create: [{ role: 'host', staffUserId: specialistId, displayName: 'Специалист' }] },
    },
    { actorId: null, at: new Date() },
  );
}

/** A dyad of two registry clients curated by `curatorId`. */
const ROUTE_SHEET = { targetGroup: 'disabled_children', startDate: '2026-03-01', endDate: '2026-05-31' } as const;
const ROUTE_LINE = { profession: 'psychologist', form: 'online', plannedCount: 8, frequency: 'weekly' } as const;

async function dyadOf(inst: Inst, curatorId: string): Promise<string> {
  const [a, b] = await Promise.all([clientOf(inst, curatorId), clientOf(inst, curatorId)]);
  const dyad = await prisma.dyad.create({
    data: { institutionId: inst.id, client1Id: a, client1Motivation: 'low', client2Id: b, client2Motivation: 'high', curatorId },
  });
  return dyad.id;
}

async function clientOf(inst: Inst, responsibleSpecialistId: string): Promise<string> {
  const client = await prisma.client.create({
    data: {
      institutionId: inst.id,
      representativeName: 'Клиентова Анна',
      phone: '+7 900 000-00-01',
      consentMethod: 'written',
      consentAt: NOW,
      consentRecordedById: inst.headId,
    },
  });
  await requestOf(inst.id, responsibleSpecialistId, client.id);
  return client.id;
}

async function staffMemberOf(inst: Inst): Promise<string> {
  return (await staffOf('social_worker', inst)).user.id;
}

async function passwordLinkOf(inst: Inst): Promise<string> {
  const user = await api.person('social_worker', inst.id, { departmentId: inst.departmentId, password: false });
  const link = await issuePasswordLink(prisma, { staffUserId: user.id, purpose: 'welcome', issuedById: null, now: api.clock.now });
  return link.token;
}

const schedulePath = async ({ inst, owner }: Ctx) => `/institutions/${inst.id}/specialists/${await owner()}/schedules/${MONTH}`;

/** The month's path with a correction waiting (proposed by the specialist). */
const correctionPath = async (c: Ctx) => {
  const specialistId = await c.owner();
  const schedule = await prisma.specialistMonthSchedule.findUniqueOrThrow({
    where: { specialistId_month: { specialistId, month: MONTH } },
  });
  await prisma.scheduleCorrection.create({
    data: {
      scheduleId: schedule.id,
      blocks: [{ date: '2026-03-05', start: '09:00', end: '12:00' }],
      proposedById: specialistId,
      proposedAt: NOW,
    },
  });
  return `${await schedulePath(c)}/correction`;
};

const REPORT_MONTH = '2026-02';

/** Makes the institution the department's resource centre (accepts, consolidates). */
async function resourceCentre(inst: Inst): Promise<void> {
  await prisma.institution.update({ where: { id: inst.id }, data: { resourceCentre: true } });
}

/** The month's path with a report submitted (by the institution's head), its institution the resource centre. */
async function submittedReportOf(inst: Inst): Promise<string> {
  await resourceCentre(inst);
  const data = { formVersion: 1, status: 'submitted' as const, figures: {}, submittedAt: NOW, submittedById: inst.headId };
  await prisma.monthlyReport.upsert({
    where: { institutionId_month: { institutionId: inst.id, month: REPORT_MONTH } },
    create: { ...data, institutionId: inst.id, month: REPORT_MONTH },
    update: { ...data, decidedAt: null, decidedById: null, returnComment: null },
  });
  return `/institutions/${inst.id}/reports/${REPORT_MONTH}`;
}

async function departmentReportOf(inst: Inst): Promise<string> {
  await resourceCentre(inst);
  return `/departments/${inst.departmentId}/reports/${REPORT_MONTH}`;
}

// --- one valid request per route -----------------------------------------------------------

const FIXTURES = {
  'auth.sign_in': async ({ inst }) => {
    const who = await staffOf('social_worker', inst);
    return { path: '/auth/sign-in', body: { email: who.user.email, password: TEST_PASSWORD } };
  },
  'auth.password_link': async ({ inst }) => ({ path: `/auth/password-links/${await passwordLinkOf(inst)}` }),
  'auth.set_password': async ({ inst }) => ({
    path: `/auth/password-links/${await passwordLinkOf(inst)}`,
    body: { password: 'a brand new passphrase 42' },
  }),
  'auth.session': () => ({ path: '/auth/session' }),
  'auth.sign_out': () => ({ path: '/auth/sign-out', body: {} }),
  'auth.sign_out_everywhere': () => ({ path: '/auth/sign-out-everywhere', body: {} }),
  'account.sessions': () => ({ path: '/account/sessions' }),
  'notices.list': () => ({ path: '/notices' }),
  'notices.read': () => ({ path: '/notices/read', body: { all: true } }),
  'account.end_session': async ({ caller, inst }) => {
    // Another session of the caller (another device); anonymously, somebody's.
    const user = caller?.user ?? (await staffOf('head', inst)).user;
    const { principal } = await api.sessions.create(user, { stage: 'active', ip: null, userAgent: 'another device' });
    return { path: `/account/sessions/${principal.sessionId}` };
  },
  'account.change_password': () => ({
    path: '/account/password',
    body: { currentPassword: TEST_PASSWORD, newPassword: 'another long passphrase 42' },
  }),
  'account.totp_setup': () => ({ path: '/account/totp/setup', body: {} }),
  'account.totp_enable': async ({ caller }) => {
    const secret = newTotpSecret();
    if (caller) await prisma.staffUser.update({ where: { id: caller.user.id }, data: { totpSecret: secret } });
    return { path: '/account/totp/enable', body: { code: generateSync({ secret, epoch: Math.floor(api.clock.now.getTime() / 1000) }) } };
  },
  'account.totp_disable': () => ({ path: '/account/totp/disable', body: { password: TEST_PASSWORD } }),

  'institutions.list': () => ({ path: '/institutions' }),
  'institutions.create': () => ({ path: '/institutions', body: { name: 'Новое учреждение', calendar: OMSK_CALENDAR } }),
  'institutions.get': ({ inst }) => ({ path: `/institutions/${inst.id}` }),
  'institutions.update': ({ inst }) => ({ path: `/institutions/${inst.id}`, body: { resourceCentre: false } }),
  'institutions.calendar': ({ inst }) => ({ path: `/institutions/${inst.id}/calendar?year=2026` }),
  'institutions.confirm_calendar_year': ({ inst }) => ({ path: `/institutions/${inst.id}/calendar/2031/confirmation` }),

  'staff.list': ({ inst }) => ({ path: `/institutions/${inst.id}/staff` }),
  'staff.create': ({ inst }) => ({
    path: `/institutions/${inst.id}/staff`,
    body: { email: `new-${randomUUID()}@example.org`, displayName: 'Новый сотрудник', role: 'social_worker' },
  }),
  'staff.list_department': () => ({ path: '/staff' }),
  'staff.get': async ({ inst }) => ({ path: `/staff/${await staffMemberOf(inst)}` }),
  'staff.update': async ({ inst }) => ({ path: `/staff/${await staffMemberOf(inst)}`, body: { displayName: 'Новое имя' } }),
  'staff.password_link': async ({ inst }) => ({ path: `/staff/${await staffMemberOf(inst)}/password-link`, body: {} }),
  'staff.end_sessions': async ({ inst }) => ({ path: `/staff/${await staffMemberOf(inst)}/end-sessions`, body: {} }),

  'audit.list': () => ({ path: '/audit' }),
  'health.rooms': () => ({ path: '/health/rooms' }),

  'schedules.get': async (c) => ({ path: await schedulePath(c) }),
  'schedules.put': async (c) => ({ path: await schedulePath(c), body: { blocks: [{ date: '2026-03-05', start: '09:00', end: '12:00' }] } }),
  'schedules.approve': async (c) => ({ path: `${await schedulePath(c)}/approve`, body: {} }),
  'schedules.change_urgently': async (c) => ({
    path: `${await schedulePath(c)}/urgent`,
    body: { blocks: [{ date: '2026-03-05', start: '09:00', end: '12:00' }] },
  }),
  'schedules.approve_correction': async (c) => ({ path: `${await correctionPath(c)}/approve`, body: {} }),
  'schedules.reject_correction': async (c) => ({ path: `${await correctionPath(c)}/reject`, body: {} }),
  'schedules.suggest': async (c) => ({ path: `${await schedulePath(c)}/suggestion?source=working_hours` }),
  'schedules.free_slots': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/specialists/${await owner()}/free-slots?from=2026-03-02T18:00:00Z&to=2026-03-03T18:00:00Z&durationMinutes=60`,
  }),

  'requests.list': ({ inst }) => ({ path: `/institutions/${inst.id}/requests` }),
  'requests.create': ({ inst }) => ({
    path: `/institutions/${inst.id}/requests`,
    body: { channel: 'phone', fromWhom: 'Мать', reason: 'Просьба о консультации' },
  }),
  'requests.get': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/requests/${await requestOf(inst.id, await owner())}`,
  }),
  'requests.update': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/requests/${await requestOf(inst.id, await owner())}`,
    body: { result: 'Даны рекомендации' },
  }),

  'clients.list': ({ inst }) => ({ path: `/institutions/${inst.id}/clients?q=${encodeURIComponent('Клиентова')}` }),
  'clients.create': ({ inst }) => ({
    path: `/institutions/${inst.id}/clients`,
    body: { representativeName: 'Новая Клиентка', phone: '+7 900 000-00-02', consentMethod: 'oral_phone', consentAt: NOW.toISOString() },
  }),
  'clients.get': async ({ inst, owner }) => ({ path: `/institutions/${inst.id}/clients/${await clientOf(inst, await owner())}` }),
  'clients.update': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/clients/${await clientOf(inst, await owner())}`,
    body: { address: 'с. Седельниково' },
  }),

  'day.board': ({ inst }) => ({ path: `/institutions/${inst.id}/day?date=2026-03-02` }),
  'consultations.list': ({ inst }) => ({
    path: `/institutions/${inst.id}/consultations?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z`,
  }),
  'consultations.create': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/consultations`,
    body: {
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      specialistIds: [await owner()],
      start: '2026-03-03T05:00:00Z',
      durationMinutes: 60,
      clients: [{ displayName: 'Клиент' }],
    },
  }),
  'consultations.create_series': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/consultation-series`,
    body: {
      kind: 'webinar',
      direction: 'specialist_client',
      mode: 'planned',
      specialistIds: [await owner()],
      starts: ['2026-03-03T05:00:00Z'],
      durationMinutes: 60,
      emailList: 'Клиент <client@example.org>',
    },
  }),
  'consultations.add_participants': async ({ inst, owner }) => ({
    path: `/consultations/${await webinarOf(inst.id, await owner())}/participants`,
    body: { clients: [{ displayName: 'Участница', email: 'guest@example.org' }] },
  }),
  'dyads.list': ({ inst }) => ({ path: `/institutions/${inst.id}/dyads` }),
  'dyads.create': async ({ inst, owner }) => {
    const curatorId = await owner();
    const [a, b] = await Promise.all([clientOf(inst, curatorId), clientOf(inst, curatorId)]);
    return {
      path: `/institutions/${inst.id}/dyads`,
      body: {
        curatorId,
        members: [
          { clientId: a, motivation: 'low' },
          { clientId: b, motivation: 'high' },
        ],
      },
    };
  },
  'dyads.get': async ({ inst, owner }) => ({ path: `/institutions/${inst.id}/dyads/${await dyadOf(inst, await owner())}` }),
  'dyads.evaluation': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/dyads/${await dyadOf(inst, await owner())}/evaluation`,
  }),
  'dyads.evaluate': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/dyads/${await dyadOf(inst, await owner())}/evaluation`,
    body: { dynamics: 'improved', motivationEnd: ['high', 'high'] },
  }),
  'route_sheets.list': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/clients/${await clientOf(inst, await owner())}/route-sheets`,
  }),
  'route_sheets.create': async ({ inst, owner }) => {
    const specialistId = await owner();
    return {
      path: `/institutions/${inst.id}/clients/${await clientOf(inst, specialistId)}/route-sheets`,
      body: { ...ROUTE_SHEET, lines: [{ ...ROUTE_LINE, specialistId }] },
    };
  },
  'route_sheets.update': async ({ inst, owner }) => {
    const specialistId = await owner();
    const clientId = await clientOf(inst, specialistId);
    const sheet = await prisma.routeSheet.create({
      data: {
        institutionId: inst.id,
        clientId,
        targetGroup: 'other',
        startDate: new Date('2026-03-01T00:00:00Z'),
        endDate: new Date('2026-05-31T00:00:00Z'),
        lines: { create: [{ ...ROUTE_LINE, position: 0, specialistId }] },
      },
    });
    return { path: `/institutions/${inst.id}/route-sheets/${sheet.id}`, body: { status: 'closed' } };
  },
  'services.act': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/clients/${await clientOf(inst, await owner())}/service-act?month=${MONTH}`,
  }),
  'services.act_xlsx': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/clients/${await clientOf(inst, await owner())}/service-act.xlsx?month=${MONTH}`,
  }),
  'consultations.get': async ({ inst, owner }) => ({ path: `/consultations/${await consultationOf(inst.id, await owner())}` }),
  'consultations.reschedule': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/reschedule`,
    body: { start: '2026-03-04T04:00:00Z', version: 0 },
  }),
  'consultations.cancel': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/cancel`,
    body: { reasonCategory: 'specialist_ill', reason: 'Болезнь специалиста', version: 0 },
  }),
  'consultations.specialist_absence': async ({ inst, owner }) => ({
    path: `/institutions/${inst.id}/specialist-absence`,
    body: { specialistId: await owner(), date: '2026-03-03', mode: 'reassign', preview: true },
  }),
  'consultations.registry': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/registry`,
  }),
  'consultations.registry_export': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/registry/export?format=xlsx`,
  }),
  'journal.consultations': ({ inst }) => ({ path: `/institutions/${inst.id}/journal?from=2026-03-01&to=2026-03-31` }),
  'journal.export': ({ inst }) => ({ path: `/institutions/${inst.id}/journal/export?from=2026-03-01&to=2026-03-31&format=csv` }),
  'consultations.registry_note': async ({ inst, owner }) => {
    const id = await consultationOf(inst.id, await owner());
    const client = await prisma.participant.findFirstOrThrow({ where: { consultationId: id, role: 'client' } });
    return { path: `/consultations/${id}/participants/${client.id}/note`, body: { note: 'Активно участвовала' } };
  },
  'consultations.chat': async ({ inst, owner }) => ({ path: `/consultations/${await consultationOf(inst.id, await owner())}/chat` }),
  'consultations.notes_list': async ({ inst, owner }) => ({ path: `/consultations/${await consultationOf(inst.id, await owner())}/notes` }),
  'consultations.notes_create': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/notes`,
    body: { body: 'План диады: следующая встреча через неделю' },
  }),
  'protocol.get': async ({ inst, owner }) => ({ path: `/consultations/${await consultationOf(inst.id, await owner())}/protocol` }),
  'protocol.version': async ({ inst, owner }) => ({
    path: `/consultations/${await protocolOf(inst.id, await owner())}/protocol/versions/1`,
  }),
  'protocol.save': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/protocol`,
    body: { version: 0, reason: 'Первичный запрос семьи', topic: 'family', solution: null, materials: [] },
  }),
  'protocol.finalize': async ({ inst, owner }) => ({
    path: `/consultations/${await protocolOf(inst.id, await owner())}/protocol/finalize`,
    body: { version: 1 },
  }),
  'protocol.file_upload': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/protocol/files?name=${encodeURIComponent('памятка.txt')}`,
    body: new TextEncoder().encode('Памятка для семьи\n'),
  }),
  'protocol.file_download': async ({ inst, owner }) => {
    const file = await protocolFileOf(inst.id, await owner());
    return { path: `/consultations/${file.consultationId}/protocol/files/${file.id}` };
  },
  'protocol.file_delete': async ({ inst, owner }) => {
    const file = await protocolFileOf(inst.id, await owner());
    return { path: `/consultations/${file.consultationId}/protocol/files/${file.id}` };
  },
  'consultations.revoke_link': async ({ inst, owner }) => {
    const id = await consultationOf(inst.id, await owner());
    const client = await prisma.participant.findFirstOrThrow({ where: { consultationId: id, role: 'client' } });
    return { path: `/consultations/${id}/participants/${client.id}/revoke-link`, body: {} };
  },
  // The caller booked it: the handler narrows these to the booker, the responsible social
  // worker and the head (link-handover.test.ts tries the others).
  'consultations.show_link': async ({ caller, inst, owner }) => {
    const { id, clientId } = await bookedBy(inst.id, await owner(), caller);
    return { path: `/consultations/${id}/participants/${clientId}/link` };
  },
  'consultations.rotate_link': async ({ caller, inst, owner }) => {
    const { id, clientId } = await bookedBy(inst.id, await owner(), caller);
    return { path: `/consultations/${id}/participants/${clientId}/link`, body: {} };
  },
  // Public: the link is the credential (its own tests: links.test.ts, limits.test.ts).
  'links.describe': async ({ inst, owner }) => {
    const { id, clientId } = await bookedBy(inst.id, await owner(), null);
    // The signer checks expiry against the real clock (the API's clock is the test's March 2026).
    const expiresAt = new Date(Date.now() + 3_600_000);
    const token = links.sign({ consultationId: id, participantId: clientId, role: 'client', generation: 1, expiresAt });
    return { path: `/links/${token}` };
  },
  'links.answer': async ({ inst, owner }) => {
    const { id, clientId } = await bookedBy(inst.id, await owner(), null);
    const expiresAt = new Date(Date.now() + 3_600_000);
    const token = links.sign({ consultationId: id, participantId: clientId, role: 'client', generation: 1, expiresAt });
    return { path: `/links/${token}/answer`, body: { kind: 'cannot_come' } };
  },
  'links.calendar': async ({ inst, owner }) => {
    const { id, clientId } = await bookedBy(inst.id, await owner(), null);
    const expiresAt = new Date(Date.now() + 3_600_000);
    const token = links.sign({ consultationId: id, participantId: clientId, role: 'client', generation: 1, expiresAt });
    return { path: `/links/${token}/calendar.ics` };
  },
  'media.capabilities': () => ({ path: '/media/capabilities' }),
  // The feedback form: a client's link of an ended consultation (feedback.test.ts tests the rest).
  'feedback.get': async ({ inst, owner }) => ({ path: `/links/${await endedLinkOf(inst, await owner())}/feedback` }),
  'feedback.save': async ({ inst, owner }) => ({
    path: `/links/${await endedLinkOf(inst, await owner())}/feedback`,
    body: { quality: 5, topicMatch: 4, comfort: 5, clarity: 4, usefulness: 5, stateImproved: 3, specialistWork: 5 },
  }),
  'feedback.consultation': async ({ inst, owner }) => ({ path: `/consultations/${await consultationOf(inst.id, await owner())}/feedback` }),
  'consultations.history': async ({ inst, owner }) => ({ path: `/consultations/${await consultationOf(inst.id, await owner())}/history` }),
  'consultations.propose_move': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/move-proposals`,
    body: { start: '2026-03-04T04:00:00Z', reasonCategory: 'client_request' },
  }),
  'consultations.move_proposals': ({ inst }) => ({ path: `/institutions/${inst.id}/move-proposals` }),
  'consultations.approve_move': async (c) => ({ path: `/move-proposals/${await proposalOf(c)}/approve`, body: {} }),
  'consultations.reject_move': async (c) => ({ path: `/move-proposals/${await proposalOf(c)}/reject`, body: {} }),
  'consultations.failures': ({ inst }) => ({ path: `/institutions/${inst.id}/consultation-failures` }),
  'consultations.invitation': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/invitation`,
  }),
  'consultations.technical_failure': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner())}/technical-failure`,
    body: {},
  }),
  'consultations.phone_outcome': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner(), 'phone')}/phone-outcome`,
    body: { outcome: 'held', actualMinutes: 20 },
  }),
  'consultations.email_answer': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner(), 'email')}/email-answer`,
    body: { body: 'Ответ специалиста на обращение' },
  }),
  'consultations.email_answers': async ({ inst, owner }) => ({
    path: `/consultations/${await consultationOf(inst.id, await owner(), 'email')}/email-answers`,
  }),

  // Monthly reports (February: its period began and ended before NOW). Department-level rows
  // are narrowed to the resource centre, so the caller's institution is made one.
  'reports.month': ({ inst }) => ({ path: `/institutions/${inst.id}/reports/${REPORT_MONTH}` }),
  'reports.submit': async ({ inst }) => {
    await prisma.monthlyReport.deleteMany({ where: { institutionId: inst.id, month: REPORT_MONTH } });
    return { path: `/institutions/${inst.id}/reports/${REPORT_MONTH}/submit`, body: {} };
  },
  'reports.accept': async ({ inst }) => ({ path: `${await submittedReportOf(inst)}/accept`, body: {} }),
  'reports.return': async ({ inst }) => ({
    path: `${await submittedReportOf(inst)}/return`,
    body: { comment: 'Уточните число обращений' },
  }),
  'reports.export': ({ inst }) => ({ path: `/institutions/${inst.id}/reports/${REPORT_MONTH}/export?format=csv` }),
  'reports.records': async ({ inst }) => {
    await resourceCentre(inst);
    return { path: `/institutions/${inst.id}/reports/${REPORT_MONTH}/records?key=consultations.held` };
  },
  'reports.consolidated': async ({ inst }) => ({ path: `${await departmentReportOf(inst)}` }),
  'reports.consolidated_export': async ({ inst }) => ({ path: `${await departmentReportOf(inst)}/export?format=csv` }),
  'reports.note_draft': async ({ inst }) => ({ path: `${await departmentReportOf(inst)}/note/draft` }),
  'reports.note_save': async ({ inst }) => {
    const path = await departmentReportOf(inst);
    await prisma.consolidatedReport.updateMany({ where: { departmentId: inst.departmentId, month: REPORT_MONTH }, data: { sentAt: null } });
    return { path: `${path}/note`, body: { text: 'Записка' } };
  },
  'reports.note_send': async ({ inst }) => {
    const path = await departmentReportOf(inst);
    await prisma.consolidatedReport.upsert({
      where: { departmentId_month: { departmentId: inst.departmentId, month: REPORT_MONTH } },
      create: { departmentId: inst.departmentId, month: REPORT_MONTH, note: 'Записка' },
      update: { note: 'Записка', sentAt: null, sentById: null },
    });
    return { path: `${path}/note/send`, body: {} };
  },
  'reports.settings_get': ({ inst }) => ({ path: `/departments/${inst.departmentId}/report-settings` }),
  'reports.settings_put': ({ inst }) => ({
    path: `/departments/${inst.departmentId}/report-settings`,
    body: { periodStartDay: 25, institutionDueDay: 25, consolidatedDueDay: 1 },
  }),
  'reports.form_get': ({ inst }) => ({ path: `/departments/${inst.departmentId}/report-form` }),
  // No rows added to the built-in form: an unchanged save (no new version), so it can repeat.
  'reports.form_save': ({ inst }) => ({ path: `/departments/${inst.departmentId}/report-form`, body: { baseVersion: 1, rows: [] } }),
  'reports.inputs_save': async ({ inst }) => {
    await prisma.monthlyReport.deleteMany({ where: { institutionId: inst.id, month: REPORT_MONTH } });
    return { path: `/institutions/${inst.id}/reports/${REPORT_MONTH}/inputs`, body: { values: {} } };
  },
} satisfies Record<OperationName, Fixture>;

/** A client's link (signed for the real clock) to an ended consultation of `specialistId`. */
async function endedLinkOf(inst: Inst, specialistId: string): Promise<string> {
  const { id, clientId } = await bookedBy(inst.id, specialistId, null);
  await prisma.consultation.update({ where: { id }, data: { state: 'ended', endedAt: NOW } });
  return links.sign({
    consultationId: id,
    participantId: clientId,
    role: 'client',
    generation: 1,
    expiresAt: new Date(Date.now() + 3_600_000),
  });
}

// --- the expected answer, from the matrix alone ----------------------------------------------

function expected(route: ApiRoute, principal: Principal, target: Target, ownership: Ownership): Verdict {
  const action = route.action;
  if (grantOf(action, 'anyone') === 'public') return 'allowed';
  if (principal === 'anonymous') return 401;
  if (route.institution !== null) {
    const inReach = principal === 'admin' ? target !== 'foreign' : target === 'own';
    if (!inReach) return 404;
  }
  const grant = grantOf(action, principal);
  if (!grant) return 403;
  if (grant === 'own' && ownership === 'colleague') return 404;
  return 'allowed';
}

interface Case {
  route: ApiRoute;
  principal: Principal;
  target: Target;
  ownership: Ownership;
  verdict: Verdict;
}

const principalsUnderTest: Principal[] = [...staffRoles, 'anonymous'];
const cases: Case[] = apiRoutes.routes.flatMap((route) =>
  principalsUnderTest.flatMap((principal) => {
    const targets: Target[] = route.institution !== null && principal !== 'anonymous' ? ['own', 'sibling', 'foreign'] : ['own'];
    return targets.flatMap((target) => {
      const ownGrant = principal !== 'anonymous' && grantOf(route.action, principal) === 'own';
      // Lists with `own` are narrowed rather than refused: checked in their own describe below.
      const split = ownGrant && target === 'own' && route.owners !== undefined;
      const ownerships: Ownership[] = split ? ['mine', 'colleague'] : [ownGrant && target === 'own' ? 'mine' : null];
      return ownerships.map((ownership) => ({
        route,
        principal,
        target,
        ownership,
        verdict: expected(route, principal, target, ownership),
      }));
    });
  }),
);

const label = (c: Case) =>
  [
    c.principal,
    c.route.institution === null ? null : `→ ${c.target} institution`,
    c.ownership ? `(${c.ownership} record)` : null,
    `⇒ ${c.verdict === 'allowed' ? c.route.status : c.verdict}`,
  ]
    .filter(Boolean)
    .join(' ');

/** Express path → a regular expression, so that a fixture provably calls its own route. */
function pathPattern(route: ApiRoute): RegExp {
  return new RegExp(`^${route.path.replace(/:[A-Za-z]+/g, '[^/?]+')}(\\?.*)?$`);
}

/** Every string in a request body (what a denial's audit event must not contain). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

beforeAll(async () => {
  db = await createTestDatabase();
  // The test and the API share the pool: room for a route's concurrent cases on both sides.
  prisma = createPrisma(db.url, { poolSize: 16 });
  // The e-mail answer goes out over SMTP: a real Notifier on a real SMTP capture.
  const mail = await startMail(prisma);
  smtp = mail.smtp;
  api = await startApi({ prisma, now: NOW, notifier: mail.notifier });
  const create = async (as: Identity): Promise<Inst> => {
    const res = await api.as(as).post<{ id: string; departmentId: string }>('/institutions', { name: 'КЦСОН', calendar: OMSK_CALENDAR });
    expect(res.status).toBe(201);
    const head = await api.staff('head', res.body.id);
    return { id: res.body.id, departmentId: res.body.departmentId, headId: head.user.id };
  };
  institutions.own = await create(api.admin);
  institutions.sibling = await create(api.admin);
  const otherDepartment = await prisma.department.create({ data: { name: 'Другой департамент' } });
  institutions.foreign = await create(await api.staff('admin', null, { departmentId: otherDepartment.id }));
  expect(institutions.sibling.departmentId).toBe(institutions.own.departmentId);
  expect(institutions.foreign.departmentId).not.toBe(institutions.own.departmentId);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await smtp?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

describe('the matrix covers every route, and every route has a case', () => {
  const routeNames = apiRoutes.routes.map((r) => r.name).sort();

  test('the fixture table has exactly one entry per registered route', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(routeNames);
  });

  test("every matrix action is a route's or a room event (no stale rows), and every route's action is a row", () => {
    const rest = Object.keys(permissions).filter((a) => !a.startsWith('room.'));
    expect(rest.sort()).toEqual([...new Set(apiRoutes.routes.map((r) => r.action))].sort());
  });

  test('a route the matrix does not know is refused when defined and when registered', () => {
    const unknown = {
      ...contract['institutions.list'],
      name: 'institutions.export',
      action: 'institutions.export',
      path: '/institutions/export',
      summary: 'Not in the matrix',
    } as unknown as Operation;
    expect(() => defineRoute(unknown, { handler: async () => ({ institutions: [] }) } as never)).toThrow(
      /no entry in the permission matrix/,
    );
    const known = apiRoutes.routes.find((r) => r.name === 'institutions.list')!;
    expect(
      () =>
        new RouteRegistry([
          ...apiRoutes.routes,
          { ...known, name: 'institutions.export', action: 'institutions.export' as Action, path: '/x' },
        ]),
    ).toThrow(/no entry in the permission matrix/);
  });

  test('every role and every kind of answer is exercised', () => {
    const verdicts = new Set(cases.map((c) => c.verdict));
    expect([...verdicts].sort()).toEqual([401, 403, 404, 'allowed'].sort());
    for (const route of apiRoutes.routes) expect(cases.filter((c) => c.route === route).length).toBeGreaterThanOrEqual(5);
  });
});

/**
 * A route's cases run concurrently (up to jest's maxConcurrency at once): each has records and a
 * caller of its own, so one case's database round trips overlap another's. One at a time, as
 * all ran before: routes whose cases share one record (the institution's month report, the
 * department's note, form and settings, the institution itself), run argon2 (the sign-in guard
 * caps the runs at once) or are heavy on their own. Routes run in order.
 */
const ONE_AT_A_TIME: ReadonlySet<string> = new Set([
  'auth.sign_in',
  'auth.set_password',
  'account.change_password',
  'account.totp_disable',
  'institutions.update',
  'institutions.confirm_calendar_year',
  'consultations.specialist_absence',
  ...apiRoutes.routes.map((r) => r.name).filter((name) => name.startsWith('reports.')),
]);

describe.each(apiRoutes.routes.map((r) => [`${r.method.toUpperCase()} ${r.path} (${r.name})`, r] as const))('%s', (_title, route) => {
  const routeCases = cases.filter((c) => c.route === route);
  // Every case's caller is a fresh member of staff of their own, as before; the route's are
  // made at once (three bulk inserts, not a few queries per case).
  const callers = new Map<Case, Identity>();
  beforeAll(async () => {
    const signedIn = routeCases.filter((c) => c.principal !== 'anonymous');
    const own = institutions.own;
    const people = await api.staffMany(
      signedIn.map((c) => ({
        role: c.principal as StaffRole,
        institutionId: c.principal === 'admin' ? null : own.id,
        departmentId: own.departmentId,
      })),
    );
    signedIn.forEach((c, i) => callers.set(c, people[i]!));
  });
  const each = ONE_AT_A_TIME.has(route.name) ? test.each : test.concurrent.each;
  each(routeCases.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    const inst = institutions[c.target];
    const caller = c.principal === 'anonymous' ? null : callers.get(c);
    if (caller === undefined) throw new Error(`no caller was made for ${label(c)}`);
    let owner: Promise<string> | undefined;
    const ctx: Ctx = {
      caller,
      inst,
      owner: () => (owner ??= c.ownership === 'mine' && caller ? withApprovedSchedule(caller.user.id) : newSpecialist(inst)),
    };
    const fixture: Fixture = FIXTURES[route.name as OperationName];
    const call = await fixture(ctx);
    expect(call.path).toMatch(pathPattern(route));
    const res = await api.call(route.method.toUpperCase(), call.path, call.body, { as: caller });

    if (c.verdict === 'allowed') {
      expect([res.status, res.error]).toEqual([route.status, undefined]);
    } else {
      const code = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[c.verdict];
      expect([res.status, res.error?.code]).toEqual([c.verdict, code]);
      expect(res.error.details).toBeUndefined(); // nothing about the record leaks
    }

    if (!caller) return;
    const denials = await prisma.auditEvent.findMany({ where: { actorId: caller.user.id, action: 'access.denied' } });
    if (c.verdict === 'allowed') {
      expect(denials).toEqual([]);
      return;
    }
    // The denial is in the audit log: who, which route, why — never what was sent.
    expect(denials).toHaveLength(1);
    const event = denials[0]!;
    expect(event).toMatchObject({ actorType: 'staff', targetType: 'route', targetId: route.name, ip: expect.any(String) });
    expect(event.details).toEqual({
      status: c.verdict,
      reason: c.verdict === 403 ? 'role' : 'outside_scope',
      method: route.method.toUpperCase(),
    });
    // The row names the institution only when it is within the caller's reach: a probe of
    // another institution's id must not come back through the audit view as "this id is real".
    const inReach = c.principal === 'admin' ? c.target !== 'foreign' : c.target === 'own';
    if (route.institution !== null) expect(event.institutionId).toBe(inReach ? inst.id : null);
    const row = JSON.stringify({ ...event, id: String(event.id) });
    for (const s of strings(call.body).filter((v) => v.length >= 6 && v !== caller.user.id)) expect(row).not.toContain(s);
  });
});

describe('lists under the `own` scope hold only the caller’s records', () => {
  const list = (who: Identity, what: 'consultations' | 'requests') =>
    api
      .as(who)
      .get<{ consultations?: Consultation[]; requests?: JournalRequest[] }>(
        `/institutions/${institutions.own.id}/${what}${what === 'consultations' ? '?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z' : ''}`,
      );

  test('consultations.list and requests.list: a specialist sees theirs; head, social worker and admin see all', async () => {
    const inst = institutions.own;
    const me = await api.staff('specialist', inst.id);
    const colleague = await api.staff('specialist', inst.id);
    const mine = await consultationOf(inst.id, me.user.id);
    const theirs = await consultationOf(inst.id, colleague.user.id);
    const myRequest = await requestOf(inst.id, me.user.id);
    const theirRequest = await requestOf(inst.id, colleague.user.id);
    const unassigned = await requestOf(inst.id, null);

    expect(grantOf('consultations.list', 'specialist')).toBe('own');
    expect(grantOf('requests.list', 'specialist')).toBe('own');
    const c = await list(me, 'consultations');
    expect(c.status).toBe(200);
    expect(c.body.consultations!.map((x) => x.id)).toEqual([mine]);
    const r = await list(me, 'requests');
    expect(r.status).toBe(200);
    expect(r.body.requests!.map((x) => x.id)).toEqual([myRequest]);
    expect((await list(colleague, 'consultations')).body.consultations!.map((x) => x.id)).toEqual([theirs]);

    for (const role of ['head', 'social_worker', 'admin'] as const) {
      const who = await api.staff(role, role === 'admin' ? null : inst.id);
      const all = await list(who, 'consultations');
      expect([role, all.status]).toEqual([role, 200]);
      expect(all.body.consultations!.map((x) => x.id)).toEqual(expect.arrayContaining([mine, theirs]));
      const journal = await list(who, 'requests');
      expect(journal.body.requests!.map((x) => x.id)).toEqual(expect.arrayContaining([myRequest, theirRequest, unassigned]));
    }
  });

  test('a specialist who is a staff participant (not the booked specialist) counts as taking part', async () => {
    const inst = institutions.own;
    const curator = await api.staff('specialist', inst.id);
    const booked = await newSpecialist(inst);
    const id = await consultationOf(inst.id, booked);
    await prisma.participant.create({ data: { consultationId: id, role: 'curator', staffUserId: curator.user.id } });
    expect((await api.as(curator).get(`/consultations/${id}`)).status).toBe(200);
    expect((await list(curator, 'consultations')).body.consultations!.map((x) => x.id)).toEqual([id]);
  });
});

test('anonymous refusals leave no audit event without an actor', async () => {
  expect(await prisma.auditEvent.count({ where: { action: 'access.denied', actorId: null } })).toBe(0);
});

test('nothing unexpected was logged (no 500s along the way)', () => {
  expect(api.logs).toEqual([]);
});
