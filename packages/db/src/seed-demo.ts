// Demo data for a fresh installation and for tests: one department, two institutions in
// different time zones, their staff, approved schedules, a few requests and a consultation
// today. All names are plainly fictional; e-mails use the reserved example.org domain.
//
// Idempotent and non-destructive: every row has a fixed id (a hash of its demo name) and is
// created only when missing, so running it again changes nothing — including what someone
// edited in the demo data meanwhile. The consultation is one per local day: a run on a new
// day adds that day's consultation.
import { createHash } from 'node:crypto';
import { productionCalendar } from '@dp/scheduling';
import type { PrismaClient, TransactionClient } from './client.ts';
import type { Prisma } from '../dist/prisma/client.ts';
import { institutionCalendarColumns, type InstitutionCalendarData } from './calendar.ts';
import { allocateRequestNumber, yearIn } from './request-number.ts';

export interface SeedDemoOptions {
  /** "Now" for the relative dates (default: the current time). */
  now?: Date;
  /** Start of today's consultation (default: `now` rounded down to 5 minutes, so its room is open at once). */
  consultationStart?: Date;
}

export interface DemoIds {
  departmentId: string;
  institutions: { omsk: string; moscow: string };
  headId: string;
  socialWorkerId: string;
  specialists: { psychologist: string; lawyer: string };
  scheduleIds: string[];
  requestIds: string[];
  consultationId: string;
  participants: { specialist: string; client: string };
}

/** A stable UUID (version 8, name-based) for a demo row. */
export function demoId(name: string): string {
  const b = createHash('sha256').update(`distpriem-demo:${name}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const OMSK_ZONE = 'Asia/Omsk';
const MOSCOW_ZONE = 'Europe/Moscow';
const MINUTE = 60_000;
const DAY = 86_400_000;

/** 'YYYY-MM-DD' of an instant in a zone. */
function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The days off of the Russian production calendar (art. 112 holidays and the decree's transfers where shipped). */
function holidays(year: number): string[] {
  return productionCalendar(year).daysOff;
}

/** Working dates of a month by a calendar's weekly pattern, its own days off and the national ones. */
function workingDates(month: string, calendar: InstitutionCalendarData): { date: string; hours: { start: string; end: string } }[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const national = holidays(y);
  const out: { date: string; hours: { start: string; end: string } }[] = [];
  for (let day = 1; day <= 31; day++) {
    const d = new Date(Date.UTC(y, m - 1, day));
    if (d.getUTCMonth() !== m - 1) break;
    const date = d.toISOString().slice(0, 10);
    const weekday = (((d.getUTCDay() + 6) % 7) + 1) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
    const hours = calendar.week[weekday];
    if (hours && !calendar.daysOff.includes(date) && !national.includes(date)) out.push({ date, hours });
  }
  return out;
}

function calendars(): { omsk: InstitutionCalendarData; moscow: InstitutionCalendarData } {
  // The national production calendar is added by the server on every read (never stored):
  // the institutions' own days off start empty.
  const daysOff: string[] = [];
  // Sedelnikovo-like: Mon–Thu 09:00–16:00, Fri 09:00–15:00, lunch 13:00–14:00 (DOMAIN.md).
  const omsk: InstitutionCalendarData = {
    timeZone: OMSK_ZONE,
    week: {
      1: { start: '09:00', end: '16:00' },
      2: { start: '09:00', end: '16:00' },
      3: { start: '09:00', end: '16:00' },
      4: { start: '09:00', end: '16:00' },
      5: { start: '09:00', end: '15:00' },
      6: null,
      7: null,
    },
    lunch: { start: '13:00', end: '14:00' },
    daysOff,
    extraWorkingDays: [],
  };
  const weekday = { start: '09:00', end: '18:00' };
  const moscow: InstitutionCalendarData = {
    timeZone: MOSCOW_ZONE,
    week: { 1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: { start: '09:00', end: '16:45' }, 6: null, 7: null },
    lunch: { start: '13:00', end: '13:45' },
    daysOff,
    extraWorkingDays: [],
  };
  return { omsk, moscow };
}

/** Splits working hours around lunch into schedule blocks. */
function blocksAround(hours: { start: string; end: string }, lunch: { start: string; end: string } | null) {
  if (!lunch || lunch.end <= hours.start || lunch.start >= hours.end) return [hours];
  return [
    { start: hours.start, end: lunch.start },
    { start: lunch.end, end: hours.end },
  ].filter((b) => b.start < b.end);
}

// A constant for pg_advisory_xact_lock: concurrent seeds run one after the other.
const SEED_LOCK = 7_302_519_001;

/**
 * Creates the demo data where missing and returns its ids. Runs in one transaction: all of
 * it or nothing.
 */
export async function seedDemo(prisma: PrismaClient, options: SeedDemoOptions = {}): Promise<DemoIds> {
  const now = options.now ?? new Date();
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK}::bigint)`;
      return seedInTransaction(tx, now, options.consultationStart ?? new Date(Math.floor(now.getTime() / (5 * MINUTE)) * 5 * MINUTE));
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}

async function seedInTransaction(tx: TransactionClient, now: Date, consultationStart: Date): Promise<DemoIds> {
  const cal = calendars();

  const departmentId = demoId('department');
  await tx.department.upsert({
    where: { id: departmentId },
    update: {},
    create: { id: departmentId, name: 'Демо-департамент социальной защиты' },
  });

  const omsk = demoId('institution:omsk');
  const moscow = demoId('institution:moscow');
  await tx.institution.upsert({
    where: { id: omsk },
    update: {},
    create: {
      id: omsk,
      departmentId,
      name: 'Демо-КЦСОН «Примерный» (Омская область)',
      phone: '+7 (3812) 00-00-00',
      ...institutionCalendarColumns(cal.omsk),
    },
  });
  await tx.institution.upsert({
    where: { id: moscow },
    update: {},
    create: {
      id: moscow,
      departmentId,
      name: 'Демо-ресурсный центр «Образец» (Москва)',
      resourceCentre: true,
      phone: '+7 (495) 000-00-00',
      ...institutionCalendarColumns(cal.moscow),
    },
  });

  const staff = [
    { key: 'head', email: 'head@example.org', displayName: 'Анна Примерова', role: 'head', institutionId: omsk },
    {
      key: 'social-worker',
      email: 'social.worker@example.org',
      displayName: 'Светлана Тестова',
      role: 'social_worker',
      institutionId: omsk,
    },
    { key: 'psychologist', email: 'psychologist@example.org', displayName: 'Ольга Образцова', role: 'specialist', institutionId: omsk },
    { key: 'lawyer', email: 'lawyer@example.org', displayName: 'Игорь Пробнов', role: 'specialist', institutionId: moscow },
  ] as const;
  for (const s of staff) {
    const id = demoId(`staff:${s.key}`);
    await tx.staffUser.upsert({
      where: { id },
      update: {},
      create: { id, email: s.email, displayName: s.displayName, role: s.role, institutionId: s.institutionId, departmentId },
    });
  }
  const headId = demoId('staff:head');
  const socialWorkerId = demoId('staff:social-worker');
  const psychologist = demoId('staff:psychologist');
  const lawyer = demoId('staff:lawyer');

  await tx.specialistProfile.upsert({
    where: { userId: psychologist },
    update: {},
    create: { userId: psychologist, profession: 'psychologist', title: 'Педагог-психолог' },
  });
  await tx.specialistProfile.upsert({
    where: { userId: lawyer },
    update: {},
    create: { userId: lawyer, profession: 'lawyer', title: 'Юрисконсульт' },
  });

  // Approved schedules for this month and the next, in each institution's own calendar.
  const scheduleIds: string[] = [];
  const plans = [
    { specialistId: psychologist, calendar: cal.omsk, weekdays: null },
    { specialistId: lawyer, calendar: cal.moscow, weekdays: new Set([2, 4]) }, // Tuesdays and Thursdays
  ];
  for (const plan of plans) {
    const thisMonth = localDate(now, plan.calendar.timeZone).slice(0, 7);
    for (const month of [thisMonth, nextMonth(thisMonth)]) {
      const existing = await tx.specialistMonthSchedule.findUnique({
        where: { specialistId_month: { specialistId: plan.specialistId, month } },
        select: { id: true },
      });
      if (existing) {
        scheduleIds.push(existing.id);
        continue;
      }
      const id = demoId(`schedule:${plan.specialistId}:${month}`);
      scheduleIds.push(id);
      const blocks = workingDates(month, plan.calendar)
        .filter((d) => !plan.weekdays || plan.weekdays.has(new Date(`${d.date}T00:00:00Z`).getUTCDay()))
        .flatMap((d) => blocksAround(d.hours, plan.calendar.lunch).map((b) => ({ date: d.date, start: b.start, end: b.end })));
      await tx.specialistMonthSchedule.create({
        data: {
          id,
          specialistId: plan.specialistId,
          month,
          status: 'approved',
          approvedById: headId,
          approvedAt: now,
          blocks: { createMany: { data: blocks } },
        },
      });
    }
  }

  // Requests (the journal): created once, numbered in their institution's journal.
  const requests = [
    {
      key: 'school-refusal',
      institutionId: omsk,
      timeZone: OMSK_ZONE,
      receivedAt: new Date(now.getTime() - 2 * DAY),
      data: {
        channel: 'phone',
        contact: '+7 900 000-00-01',
        fromWhom: 'Мать ребёнка',
        representativeName: 'Елена Вымышленная',
        childName: 'Саша Вымышленный',
        childAge: 9,
        recurrence: 'first',
        reason: 'Сын не хочет ходить в школу, часто плачет по утрам',
        address: 'с. Примерное, ул. Тестовая, д. 1',
        socialStatus: 'difficult_life_situation',
        responsibleSpecialistId: psychologist,
        status: 'scheduled',
      },
    },
    {
      key: 'benefits-question',
      institutionId: moscow,
      timeZone: MOSCOW_ZONE,
      receivedAt: new Date(now.getTime() - 1 * DAY),
      data: {
        channel: 'email',
        contact: 'parent@example.org',
        fromWhom: 'Законный представитель',
        representativeName: 'Пётр Условный',
        childName: 'Маша Условная',
        childAge: 12,
        recurrence: 'repeat',
        reason: 'Какие меры социальной поддержки положены семье с ребёнком-инвалидом',
        responsibleSpecialistId: lawyer,
        status: 'assigned',
        answerDueAt: new Date(now.getTime() + 2 * DAY),
      },
    },
    {
      key: 'anonymous-anxiety',
      institutionId: omsk,
      timeZone: OMSK_ZONE,
      receivedAt: new Date(now.getTime() - 3 * 60 * MINUTE),
      data: {
        channel: 'messenger',
        fromWhom: 'Аноним',
        anonymous: true,
        recurrence: 'first',
        reason: 'Как помочь подростку справиться с тревогой перед экзаменами?',
        status: 'new',
      },
    },
  ] as const;
  // The clients' registry: the named requests' families, with the consent noted at intake (152-FZ).
  const demoClients: Partial<
    Record<(typeof requests)[number]['key'], Omit<Prisma.ClientUncheckedCreateInput, 'consentAt' | 'consentRecordedById'>>
  > = {
    'school-refusal': {
      institutionId: omsk,
      representativeName: 'Елена Вымышленная',
      childName: 'Саша Вымышленный',
      childAge: 9,
      phone: '+7 900 000-00-01',
      address: 'с. Примерное, ул. Тестовая, д. 1',
      socialStatus: 'difficult_life_situation',
      consentMethod: 'oral_phone',
    },
    'benefits-question': {
      institutionId: moscow,
      representativeName: 'Пётр Условный',
      childName: 'Маша Условная',
      childAge: 12,
      email: 'parent@example.org',
      ipsr: true,
      consentMethod: 'written',
    },
  };
  const requestIds: string[] = [];
  for (const r of requests) {
    const id = demoId(`request:${r.key}`);
    requestIds.push(id);
    const client = demoClients[r.key];
    const clientId = client ? demoId(`client:${r.key}`) : null;
    if (client && clientId && !(await tx.client.findUnique({ where: { id: clientId }, select: { id: true } }))) {
      await tx.client.create({ data: { id: clientId, ...client, consentAt: r.receivedAt, consentRecordedById: socialWorkerId } });
    }
    if (await tx.request.findUnique({ where: { id }, select: { id: true } })) continue;
    const year = yearIn(r.receivedAt, r.timeZone);
    const number = await allocateRequestNumber(tx, r.institutionId, year);
    await tx.request.create({
      data: {
        id,
        institutionId: r.institutionId,
        year,
        number,
        receivedAt: r.receivedAt,
        registeredById: socialWorkerId,
        clientId,
        ...r.data,
      },
    });
  }

  // Today's consultation (one per local day in Omsk), psychologist with the first request's mother.
  const today = localDate(now, OMSK_ZONE);
  const consultationId = demoId(`consultation:${today}`);
  const specialistParticipant = demoId(`participant:${today}:specialist`);
  const clientParticipant = demoId(`participant:${today}:client`);
  if (!(await tx.consultation.findUnique({ where: { id: consultationId }, select: { id: true } }))) {
    await tx.consultation.create({
      data: {
        id: consultationId,
        institutionId: omsk,
        kind: 'one_to_one',
        direction: 'specialist_client',
        mode: 'on_request',
        requestId: requestIds[0]!,
        start: consultationStart,
        durationMinutes: 45,
        topic: 'family',
        createdById: headId,
        specialists: { create: [{ specialistId: psychologist }] },
        participants: {
          create: [
            { id: specialistParticipant, role: 'specialist', staffUserId: psychologist, displayName: 'Ольга Образцова' },
            { id: clientParticipant, role: 'client', displayName: 'Елена Вымышленная', email: 'parent@example.org' },
          ],
        },
        // Booked by the head: the lifecycle's first step (packages/protocol/src/lifecycle.ts,
        // `book` → planned), as the signalling server's writer records it for every booking.
        transitions: { create: { event: 'book', fromState: null, toState: 'planned', at: now, actorId: headId } },
      },
    });
  }

  return {
    departmentId,
    institutions: { omsk, moscow },
    headId,
    socialWorkerId,
    specialists: { psychologist, lawyer },
    scheduleIds,
    requestIds,
    consultationId,
    participants: { specialist: specialistParticipant, client: clientParticipant },
  };
}
