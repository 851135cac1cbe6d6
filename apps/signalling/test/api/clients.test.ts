// The clients' registry through the API on a real PostgreSQL: the consent is required, the
// search, the pages, a client's requests and consultations, updates, another institution's
// ids, a specialist's own clients only, requests linked to the registry (first / repeat),
// and audit rows that name fields, never values.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { Client, ClientDetails, ClientList, Institution, JournalRequest } from '@dp/protocol';
import { bookConsultation } from '../../src/consultations/lifecycle-writer.ts';
import { OMSK_CALENDAR, UNKNOWN_ID, createTestDatabase, startApi, type ApiUnderTest, type Identity } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let omsk: Institution;
let tara: Institution;
let socialWorker: Identity;
let specialist: Identity;
let otherSpecialist: Identity;
let taraWorker: Identity;

const NOW = new Date('2026-03-02T05:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: NOW });
  const institution = (name: string) => api.post<Institution>('/institutions', { name, calendar: OMSK_CALENDAR });
  omsk = (await institution('КЦСОН Седельниково')).body;
  tara = (await institution('КЦСОН Тара')).body;
  socialWorker = await api.staff('social_worker', omsk.id);
  specialist = await api.staff('specialist', omsk.id);
  otherSpecialist = await api.staff('specialist', omsk.id);
  taraWorker = await api.staff('social_worker', tara.id);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const intake = {
  representativeName: 'Петрова Анна Сергеевна',
  childName: 'Петров Илья',
  childAge: 9,
  phone: '+7 (900) 123-45-67',
  email: 'Anna.Petrova@Example.org',
  address: 'с. Седельниково, ул. Мира, 1',
  socialStatus: 'difficult_life_situation',
  ippsu: true,
  consentMethod: 'oral_phone',
  consentAt: '2026-03-02T04:30:00Z',
};

const path = (inst: Institution, rest = '') => `/institutions/${inst.id}/clients${rest}`;

describe("the clients' registry", () => {
  let anna: Client;

  test('registers a client with the consent; the caller is who noted it; the audit row names fields only', async () => {
    const res = await api.as(socialWorker).post<Client>(path(omsk), intake);
    expect(res.status).toBe(201);
    anna = res.body;
    expect(anna).toMatchObject({
      representativeName: 'Петрова Анна Сергеевна',
      childAge: 9,
      email: 'anna.petrova@example.org',
      ippsu: true,
      ipsr: false,
      consentMethod: 'oral_phone',
      consentAt: '2026-03-02T04:30:00.000Z',
      consentRecordedBy: { id: socialWorker.user.id, displayName: socialWorker.user.displayName },
      archivedAt: null,
    });
    const row = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'client.created', targetId: anna.id } });
    expect(row.actorId).toBe(socialWorker.user.id);
    const details = JSON.stringify(row.details);
    expect(details).toContain('representativeName');
    for (const value of ['Петрова', 'Илья', '123-45-67', 'example.org', 'Мира']) expect(details).not.toContain(value);
  });

  test('without a consent, without any contact, with a bad phone or age: 400 naming the fields', async () => {
    const { consentMethod: _m, consentAt: _a, ...noConsent } = intake;
    const r1 = await api.as(socialWorker).post(path(omsk), noConsent);
    expect(r1.status).toBe(400);
    expect(Object.keys(r1.error.details as object).sort()).toEqual(['consentAt', 'consentMethod']);
    const r2 = await api
      .as(socialWorker)
      .post(path(omsk), { representativeName: 'Без контактов', consentMethod: 'written', consentAt: intake.consentAt });
    expect(r2.status).toBe(400);
    expect(r2.error.details).toHaveProperty('phone');
    const r3 = await api.as(socialWorker).post(path(omsk), { ...intake, phone: 'позвонить вечером', childAge: 121, email: 'not-an-email' });
    expect(r3.status).toBe(400);
    expect(Object.keys(r3.error.details as object).sort()).toEqual(['childAge', 'email', 'phone']);
    const r4 = await api.as(socialWorker).post(path(omsk), { ...intake, consentAt: '2026-03-05T00:00:00Z' });
    expect(r4.status).toBe(400);
    expect(r4.error.details).toHaveProperty('consentAt');
    expect(await prisma.client.count()).toBe(1);
  });

  test('search by either name, the phone (by its digits too) and the e-mail, case-insensitive; 50 a page with the total', async () => {
    // 53 straight into the table (quick), one through the API.
    await prisma.client.createMany({
      data: Array.from({ length: 53 }, (_, i) => ({
        institutionId: omsk.id,
        representativeName: `Сидорова ${String(i).padStart(2, '0')}`,
        messenger: `@sid${i}`,
        consentMethod: 'written' as const,
        consentAt: NOW,
        consentRecordedById: socialWorker.user.id,
      })),
    });
    const body = { representativeName: 'Сидорова 53', messenger: '@sid53', consentMethod: 'written', consentAt: '2026-03-01T00:00:00Z' };
    expect((await api.as(socialWorker).post(path(omsk), body)).status).toBe(201);
    const find = async (q: string, page = 1) =>
      (await api.as(socialWorker).get<ClientList>(path(omsk, `?q=${encodeURIComponent(q)}&page=${page}`))).body;
    expect((await find('петрова')).clients.map((c) => c.id)).toEqual([anna.id]);
    expect((await find('ИЛЬЯ')).clients.map((c) => c.id)).toEqual([anna.id]);
    expect((await find('89001234567'.slice(1))).clients.map((c) => c.id)).toEqual([anna.id]);
    expect((await find('123-45')).clients.map((c) => c.id)).toEqual([anna.id]);
    expect((await find('ANNA.PETROVA')).clients.map((c) => c.id)).toEqual([anna.id]);
    expect((await find('Нет такого')).total).toBe(0);
    const p1 = await find('сидорова');
    expect(p1).toMatchObject({ total: 54, page: 1, pageSize: 50 });
    expect(p1.clients).toHaveLength(50);
    const p2 = await find('сидорова', 2);
    expect(p2.clients.map((c) => c.representativeName)).toEqual(['Сидорова 50', 'Сидорова 51', 'Сидорова 52', 'Сидорова 53']);
    expect((await api.as(socialWorker).get<ClientList>(path(omsk))).body.total).toBe(55);
  }, 30_000);

  test('a request from the registry copies the data, counts first then repeat, and refuses anonymous or foreign clients', async () => {
    const register = (body: Record<string, unknown>, who: Identity = socialWorker, inst: Institution = omsk) =>
      api.as(who).post<JournalRequest>(`/institutions/${inst.id}/requests`, { channel: 'email', reason: 'Трудности в общении', ...body });
    const first = await register({ clientId: anna.id, responsibleSpecialistId: specialist.user.id });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      clientId: anna.id,
      recurrence: 'first',
      fromWhom: 'Петрова Анна Сергеевна',
      representativeName: 'Петрова Анна Сергеевна',
      childName: 'Петров Илья',
      childAge: 9,
      contact: 'anna.petrova@example.org',
      address: 'с. Седельниково, ул. Мира, 1',
      socialStatus: 'difficult_life_situation',
    });
    const second = await register({ clientId: anna.id, channel: 'phone', fromWhom: 'Бабушка', recurrence: 'first' });
    expect(second.body).toMatchObject({ recurrence: 'repeat', fromWhom: 'Бабушка', contact: '+7 (900) 123-45-67' });
    const anonymous = await register({ clientId: anna.id, anonymous: true, fromWhom: 'аноним' });
    expect(anonymous.status).toBe(400);
    expect(anonymous.error.details).toHaveProperty('clientId');
    const foreign = await register({ clientId: anna.id, fromWhom: 'Мать' }, taraWorker, tara);
    expect(foreign.status).toBe(404);
    expect(foreign.error.details).toHaveProperty('clientId');
    expect((await register({ clientId: UNKNOWN_ID })).status).toBe(404);
    expect((await register({})).error.details).toHaveProperty('fromWhom');
    // A consultation of the first request, for the client's page.
    await bookConsultation(
      prisma,
      {
        institutionId: omsk.id,
        kind: 'one_to_one',
        direction: 'specialist_client',
        mode: 'on_request',
        requestId: first.body.id,
        start: new Date('2026-03-04T04:00:00Z'),
        durationMinutes: 45,
        specialists: { create: [{ specialistId: specialist.user.id }] },
        participants: { create: [{ role: 'client', displayName: 'Петрова Анна' }] },
      },
      { actorId: null, at: NOW },
    );
  });

  test("the client's page: their requests and consultations, newest first", async () => {
    const res = await api.as(socialWorker).get<ClientDetails>(path(omsk, `/${anna.id}`));
    expect(res.status).toBe(200);
    expect(res.body.requests.map((r) => r.number)).toEqual([2, 1]);
    expect(res.body.consultations).toHaveLength(1);
    expect(res.body.consultations[0]).toMatchObject({
      durationMinutes: 45,
      state: 'planned',
      specialists: [{ id: specialist.user.id, displayName: specialist.user.displayName }],
    });
  });

  test('a specialist sees only the clients of their own requests and consultations, and may not change them', async () => {
    const mine = await api.as(specialist).get<ClientList>(path(omsk));
    expect(mine.body.clients.map((c) => c.id)).toEqual([anna.id]);
    expect((await api.as(specialist).get(path(omsk, `/${anna.id}`))).status).toBe(200);
    expect((await api.as(otherSpecialist).get<ClientList>(path(omsk))).body.total).toBe(0);
    expect((await api.as(otherSpecialist).get(path(omsk, `/${anna.id}`))).status).toBe(404);
    expect((await api.as(specialist).patch(path(omsk, `/${anna.id}`), { address: 'другой' })).status).toBe(403);
    expect((await api.as(specialist).post(path(omsk), intake)).status).toBe(403);
  });

  test("another institution's client is a 404 everywhere; nothing is confirmed", async () => {
    expect((await api.as(taraWorker).get(path(omsk, `/${anna.id}`))).status).toBe(404);
    expect((await api.as(taraWorker).get(path(tara, `/${anna.id}`))).status).toBe(404);
    expect((await api.as(taraWorker).patch(path(tara, `/${anna.id}`), { address: 'x' })).status).toBe(404);
    expect((await api.as(taraWorker).get<ClientList>(path(tara))).body.total).toBe(0);
  });

  test('update: fields, clearing, a consent given again, never the last contact; archive hides, restore shows', async () => {
    const p = path(omsk, `/${anna.id}`);
    const head = await api.staff('head', omsk.id);
    const changed = await api
      .as(head)
      .patch<Client>(p, { childAge: 10, address: null, ipsr: true, consentMethod: 'written', consentAt: '2026-03-02T04:50:00Z' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      childAge: 10,
      address: null,
      ipsr: true,
      consentMethod: 'written',
      consentRecordedBy: { id: head.user.id },
    });
    const audited = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'client.updated', targetId: anna.id } });
    expect(audited.details).toEqual({ fields: ['childAge', 'address', 'ipsr', 'consentMethod', 'consentAt'] });
    const half = await api.as(head).patch(p, { consentMethod: 'oral_phone' });
    expect(half.status).toBe(400);
    expect(half.error.details).toHaveProperty('consentAt');
    expect((await api.as(head).patch<Client>(p, { email: null })).body.email).toBeNull();
    const lastContact = await api.as(head).patch(p, { phone: null });
    expect(lastContact.status).toBe(400);
    expect(lastContact.error.details).toHaveProperty('phone');
    expect((await api.as(head).patch(p, {})).status).toBe(400);
    const archived = await api.as(socialWorker).patch<Client>(p, { archived: true });
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await api.as(socialWorker).get<ClientList>(path(omsk, '?q=петрова'))).body.total).toBe(0);
    expect((await api.as(socialWorker).get<ClientList>(path(omsk, '?q=петрова&archived=true'))).body.total).toBe(1);
    const refused = await api
      .as(socialWorker)
      .post(`/institutions/${omsk.id}/requests`, { channel: 'phone', reason: 'Ещё', clientId: anna.id });
    expect(refused.status).toBe(400);
    expect((await api.as(socialWorker).patch<Client>(p, { archived: false })).body.archivedAt).toBeNull();
  });
});
