// Webinars and dyads through the real API on a real PostgreSQL: a webinar of 500 clients, a
// series booked all or nothing with per-date errors, the pasted e-mail list (parsed on the
// server with per-line errors), participants added afterwards — each invited over a real SMTP
// server (smtp-capture), the others not mailed again — and a dyad of two registry clients with
// their motivation levels, its consultations planned and read back as its history.
// Omsk is UTC+6 all year: 09:30 local = 03:30Z. March 2026: the 2nd is a Monday.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import {
  parsePersonList,
  type Consultation,
  type ConsultationList,
  type Dyad,
  type Institution,
  type ParticipantsAdded,
} from '@dp/protocol';
import type { Notifier } from '../../src/notify/index.ts';
import type { SmtpCapture } from '../smtp-capture.ts';
import { OMSK_CALENDAR, PUBLIC_URL, createTestDatabase, startApi, startMail, type ApiUnderTest, type Identity } from './support.ts';

// Bookings with invitations over real SMTP: seconds each on a busy machine, not the default 5.
jest.setTimeout(30_000);

const NOW = new Date('2026-03-01T00:00:00Z');

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let smtp: SmtpCapture;
let notifier: Notifier;
let institution: Institution;
let head: Identity;
let specialist: Identity;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  ({ smtp, notifier } = await startMail(prisma));
  api = await startApi({ prisma, now: NOW, notifier });
  const created = await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR });
  expect(created.status).toBe(201);
  institution = created.body;
  head = await api.staff('head', institution.id);
  specialist = await api.staff('specialist', institution.id);
  await prisma.specialistMonthSchedule.create({
    data: {
      specialistId: specialist.user.id,
      month: '2026-03',
      status: 'approved',
      approvedAt: NOW,
      blocks: {
        create: ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-10', '2026-03-11', '2026-03-12'].map((date) => ({
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

const webinar = (extra: Record<string, unknown>) => ({
  kind: 'webinar',
  direction: 'specialist_client',
  mode: 'planned',
  specialistIds: [specialist.user.id],
  durationMinutes: 60,
  topic: 'family',
  ...extra,
});

async function registryClient(name: string, email: string | null): Promise<string> {
  const c = await prisma.client.create({
    data: {
      institutionId: institution.id,
      representativeName: name,
      email,
      phone: email ? null : '+7 900 000-00-00',
      consentMethod: 'written',
      consentAt: NOW,
      consentRecordedById: head.user.id,
    },
  });
  return c.id;
}

describe('the pasted e-mail list', () => {
  test('takes «Имя <e-mail>» and bare addresses, names each bad line', () => {
    const parsed = parsePersonList(
      [
        'Иванова Мария <Maria@Example.org>',
        '',
        '  petrov@example.org ;',
        'не адрес',
        '"Сидорова" <sid@example.org>',
        'maria@example.org',
      ].join('\n'),
    );
    expect(parsed.people).toEqual([
      { displayName: 'Иванова Мария', email: 'maria@example.org' },
      { email: 'petrov@example.org' },
      { displayName: 'Сидорова', email: 'sid@example.org' },
    ]);
    expect(parsed.errors).toEqual([
      { line: 4, problem: 'invalid_email' },
      { line: 6, problem: 'duplicate' },
    ]);
  });

  test('the server refuses a list with a bad line, naming the line, and books nothing', async () => {
    const before = await prisma.consultation.count();
    const res = await api
      .as(head)
      .post(
        `/institutions/${institution.id}/consultations`,
        webinar({ start: '2026-03-03T05:00:00Z', emailList: 'a@example.org\nплохая строка' }),
      );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.error.details)).toContain('line 2: invalid_email');
    expect(await prisma.consultation.count()).toBe(before);
  });
});

describe('capacity per kind', () => {
  test('a webinar takes 500 clients; 501 are refused; a one-to-one takes one', async () => {
    const clients = Array.from({ length: 500 }, (_, i) => ({ displayName: `Участник ${i + 1}` }));
    const ok = await api
      .as(head)
      .post<Consultation>(`/institutions/${institution.id}/consultations`, webinar({ start: '2026-03-03T03:30:00Z', clients }));
    expect(ok.status).toBe(201);
    expect(ok.body.participants.filter((p) => p.role === 'attendee')).toHaveLength(500);

    const over = await api
      .as(head)
      .post(
        `/institutions/${institution.id}/consultations`,
        webinar({ start: '2026-03-04T03:30:00Z', clients: [...clients, { displayName: 'Лишний' }] }),
      );
    expect(over.status).toBe(400);

    const two = await api.as(head).post(`/institutions/${institution.id}/consultations`, {
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      specialistIds: [specialist.user.id],
      start: '2026-03-04T03:30:00Z',
      durationMinutes: 30,
      clients: [{ displayName: 'Один' }, { displayName: 'Второй' }],
    });
    expect(two.status).toBe(400);
    expect(Object.keys(two.error.details as object)).toContain('clients');
  }, 60_000);
});

describe('a series', () => {
  test('one bad date books nothing and names that date', async () => {
    const before = await prisma.consultation.count();
    // The 7th is a Saturday: a day off.
    const res = await api
      .as(head)
      .post(
        `/institutions/${institution.id}/consultation-series`,
        webinar({ starts: ['2026-03-05T03:30:00Z', '2026-03-07T03:30:00Z', '2026-03-10T03:30:00Z'], emailList: 'one@example.org' }),
      );
    expect(res.status).toBe(422);
    expect(res.error.details).toEqual({ 'starts.1': 'day_off, outside_schedule_block' });
    expect(await prisma.consultation.count()).toBe(before);
  });

  test('good dates are booked together, with the same series id and an invitation each', async () => {
    const from = smtp.mails.length;
    const res = await api.as(head).post<ConsultationList>(
      `/institutions/${institution.id}/consultation-series`,
      webinar({
        starts: ['2026-03-05T03:30:00Z', '2026-03-10T03:30:00Z'],
        emailList: 'Семья Петровых <petrovy@example.org>',
        openFloor: true,
      }),
    );
    expect(res.status).toBe(201);
    const [a, b] = res.body.consultations;
    expect(a!.seriesId).not.toBeNull();
    expect(b!.seriesId).toBe(a!.seriesId);
    expect(a!.openFloor).toBe(true);
    expect(a!.participants.find((p) => p.role === 'attendee')).toMatchObject({
      displayName: 'Семья Петровых',
      email: 'petrovy@example.org',
    });
    await notifier.idle();
    expect(smtp.mails.slice(from).map((m) => m.subject)).toHaveLength(2);
  });

  test('a group consultation is only a webinar', async () => {
    const res = await api.as(head).post(`/institutions/${institution.id}/consultations`, {
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      specialistIds: [specialist.user.id],
      start: '2026-03-11T03:30:00Z',
      durationMinutes: 30,
      openFloor: true,
    });
    expect(res.status).toBe(400);
  });
});

describe('adding participants', () => {
  test('the new participants (registry and pasted) are invited; those invited before are not mailed again', async () => {
    const created = await api
      .as(specialist)
      .post<Consultation>(
        `/institutions/${institution.id}/consultations`,
        webinar({ start: '2026-03-11T05:00:00Z', clients: [{ displayName: 'Первая', email: 'first@example.org' }] }),
      );
    expect(created.status).toBe(201);
    await notifier.idle();
    const from = smtp.mails.length;
    const registry = await registryClient('Кузнецова Ольга', 'kuznetsova@example.org');
    const res = await api.as(specialist).post<ParticipantsAdded>(`/consultations/${created.body.id}/participants`, {
      clients: [{ clientId: registry }],
      emailList: 'Орлов Иван <orlov@example.org>\nnew@example.org',
    });
    expect(res.status).toBe(201);
    expect(res.body.added).toHaveLength(3);
    expect(res.body.consultation.participants.map((p) => p.displayName)).toContain('Кузнецова Ольга');
    await notifier.idle();
    const sent = smtp.mails.slice(from);
    const to = sent.flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a!.value.map((v) => v.address))).sort();
    expect(to).toEqual(['kuznetsova@example.org', 'new@example.org', 'orlov@example.org']);
    // Each mail carries a personal link.
    for (const m of sent) expect(m.text).toContain(`${PUBLIC_URL}/join/`);
    const audit = await prisma.auditEvent.findFirst({ where: { action: 'consultation.participants_added', targetId: created.body.id } });
    expect(audit?.details).toEqual({ added: 3, clients: 4 });
  });

  test('past the capacity: 422 on clients; a registry client of another institution: 404', async () => {
    const created = await api
      .as(head)
      .post<Consultation>(
        `/institutions/${institution.id}/consultations`,
        webinar({ start: '2026-03-12T03:30:00Z', clients: Array.from({ length: 499 }, () => ({})) }),
      );
    expect(created.status).toBe(201);
    const over = await api.as(head).post(`/consultations/${created.body.id}/participants`, { emailList: 'a@example.org\nb@example.org' });
    expect(over.status).toBe(422);
    expect(Object.keys(over.error.details as object)).toEqual(['clients']);
    const unknown = await api
      .as(head)
      .post(`/consultations/${created.body.id}/participants`, { clients: [{ clientId: '019a0000-0000-7000-8000-000000000000' }] });
    expect(unknown.status).toBe(404);
    expect(Object.keys(unknown.error.details as object)).toEqual(['clients.0.clientId']);
  });
});

describe('dyads', () => {
  test('a curator forms a dyad with motivation levels, plans its consultations and reads their history', async () => {
    const a = await registryClient('Смирнова Анна', 'smirnova@example.org');
    const b = await registryClient('Волков Пётр', null);
    const formed = await api.as(specialist).post<Dyad>(`/institutions/${institution.id}/dyads`, {
      curatorId: specialist.user.id,
      members: [
        { clientId: a, motivation: 'high' },
        { clientId: b, motivation: 'low' },
      ],
    });
    expect(formed.status).toBe(201);
    expect(formed.body.members.map((m) => [m.displayName, m.motivation])).toEqual([
      ['Смирнова Анна', 'high'],
      ['Волков Пётр', 'low'],
    ]);
    const same = await api.as(specialist).post(`/institutions/${institution.id}/dyads`, {
      curatorId: specialist.user.id,
      members: [
        { clientId: a, motivation: 'high' },
        { clientId: a, motivation: 'low' },
      ],
    });
    expect(same.status).toBe(400);

    const planned = await api.as(specialist).post<ConsultationList>(`/institutions/${institution.id}/consultation-series`, {
      kind: 'dyad',
      direction: 'client_client',
      mode: 'planned',
      specialistIds: [specialist.user.id],
      durationMinutes: 45,
      dyadId: formed.body.id,
      starts: ['2026-03-04T09:00:00Z', '2026-03-11T09:00:00Z'],
    });
    expect(planned.status).toBe(201);
    expect(planned.body.consultations[0]!.participants.map((p) => [p.role, p.displayName])).toEqual([
      ['curator', specialist.user.displayName],
      ['client', 'Смирнова Анна'],
      ['client', 'Волков Пётр'],
    ]);
    const history = await api.as(specialist).get<Dyad>(`/institutions/${institution.id}/dyads/${formed.body.id}`);
    expect(history.status).toBe(200);
    expect(history.body.consultations.map((c) => [c.start, c.state])).toEqual([
      ['2026-03-04T09:00:00.000Z', 'planned'],
      ['2026-03-11T09:00:00.000Z', 'planned'],
    ]);
    const listed = await api.as(specialist).get<{ dyads: Dyad[] }>(`/institutions/${institution.id}/dyads`);
    expect(listed.body.dyads.map((d) => d.id)).toEqual([formed.body.id]);
  });
});
