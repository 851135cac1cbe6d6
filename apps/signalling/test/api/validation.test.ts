// The session and the input checks happen before any handler: a call without a live session
// is refused before its input is even read, and input is validated before any record is
// looked up (an unknown institution with a wrong body answers 400, not 404); every 400
// names the wrong fields.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createPrisma, type PrismaClient } from '@dp/db';
import { SESSION_COOKIE } from '@dp/protocol';
import { OMSK_CALENDAR, UNKNOWN_ID, createTestDatabase, startApi, type ApiUnderTest } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let real: PrismaClient;
let api: ApiUnderTest;
/** While set, `prisma.institution` throws (an unexpected error inside a handler). */
let institutionsBroken = false;

/** The real client, except that its institution model can be made to throw. */
function breakable(prisma: PrismaClient): PrismaClient {
  return new Proxy(prisma, {
    get(target, property) {
      if (property === 'institution' && institutionsBroken) throw new Error('secret detail: the institutions table is on fire');
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  real = createPrisma(db.url, { poolSize: 3 });
  api = await startApi({ prisma: breakable(real), now: new Date('2026-03-01T00:00:00Z') });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await real?.$disconnect();
  await db?.drop();
}, 30_000);

const consultations = `/institutions/${UNKNOWN_ID}/consultations`;
const booking = {
  kind: 'one_to_one',
  direction: 'specialist_client',
  mode: 'on_request',
  specialistIds: [UNKNOWN_ID],
  start: '2026-03-03T09:30:00+06:00',
  durationMinutes: 60,
  clients: [{ displayName: 'Клиент' }],
};

describe('authentication: the session cookie', () => {
  const endedSession = async () => {
    const who = await api.signIn(api.admin.user);
    const session = await api.sessions.resolve(who.cookie.slice(SESSION_COOKIE.length + 1));
    await api.sessions.end(session!.sessionId, 'sign_out');
    return who.cookie;
  };

  test.each([
    ['no cookie', async () => null],
    ['an unknown cookie', async () => `${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}`],
    ['an empty cookie', async () => `${SESSION_COOKIE}=`],
    ['a cookie of another name', async () => `session=${randomBytes(32).toString('base64url')}`],
    ['an ended session', endedSession],
  ])('%s → 401 unauthenticated, before any validation', async (_what, cookie) => {
    const value = await cookie();
    const res = await api.call('POST', consultations, { nonsense: true }, { as: null, headers: value ? { cookie: value } : {} });
    expect(res.status).toBe(401);
    expect(res.error.code).toBe('unauthenticated');
    expect(res.error.details).toBeUndefined();
  });

  test('a cookie that names no live session is cleared', async () => {
    const res = await api.call('GET', '/institutions', undefined, { as: null, headers: { cookie: await endedSession() } });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`, 'i'));
    const none = await api.call('GET', '/institutions', undefined, { as: null });
    expect(none.headers.get('set-cookie')).toBeNull();
  });

  test("paths the API does not own fall through without a session (the app's public /api/health)", async () => {
    for (const path of ['/health', `/institutions/${UNKNOWN_ID}/nothing-here`]) {
      const res = await api.call('GET', path, undefined, { as: null });
      expect([path, res.status, res.body]).toEqual([path, 404, { fellThrough: true }]);
    }
  });

  test("the link page's question is the API's own public route: a forged link answers invalid_token, not a session error", async () => {
    const res = await api.call('GET', '/links/abc.def', undefined, { as: null });
    expect([res.status, res.error?.code]).toEqual([404, 'invalid_token']);
  });

  test('every registered route requires it', async () => {
    for (const path of ['/institutions', `/institutions/${UNKNOWN_ID}/staff`, `/consultations/${UNKNOWN_ID}`, '/audit', '/auth/session']) {
      expect([path, (await api.call('GET', path, undefined, { as: null })).status]).toEqual([path, 401]);
    }
  });
});

describe('400 bad_request names the fields', () => {
  const expect400 = async (path: string, body: unknown, fields: string[], method = 'POST') => {
    const res = await api.call(method, path, body);
    expect(res.status).toBe(400);
    expect(res.error.code).toBe('bad_request');
    expect(Object.keys(res.error.details ?? {}).sort()).toEqual([...fields].sort());
    for (const f of fields) expect(res.error.message).toContain(`${f}:`);
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    return res.error;
  };

  test('missing fields', async () => {
    await expect400(consultations, {}, ['kind', 'direction', 'mode', 'specialistIds', 'start', 'durationMinutes']);
  });

  test('no body at all, and a body that is not JSON', async () => {
    await expect400(consultations, undefined, ['body']);
    const res = await api.call('POST', consultations, undefined, { rawBody: '{"kind": "one_to_one",' });
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({ code: 'bad_request', details: { body: 'not valid JSON' } });
  });

  test('wrong types', async () => {
    await expect400(consultations, { ...booking, durationMinutes: '60', specialistIds: UNKNOWN_ID, clients: [{ email: 42 }] }, [
      'durationMinutes',
      'specialistIds',
      'clients.0.email',
    ]);
  });

  test('a duration of 61 minutes (the 60-minute rule), 0 and 30.5', async () => {
    const e = await expect400(consultations, { ...booking, durationMinutes: 61 }, ['durationMinutes']);
    expect(e.details).toEqual({ durationMinutes: expect.stringMatching(/60/) });
    await expect400(consultations, { ...booking, durationMinutes: 0 }, ['durationMinutes']);
    await expect400(consultations, { ...booking, durationMinutes: 30.5 }, ['durationMinutes']);
    await expect400(`/consultations/${UNKNOWN_ID}/reschedule`, { start: booking.start, durationMinutes: 61, version: 0 }, [
      'durationMinutes',
    ]);
  });

  test('malformed instants, dates, months and ids', async () => {
    await expect400(consultations, { ...booking, start: '2026-03-03 09:30' }, ['start']);
    await expect400(consultations, { ...booking, start: '2026-02-30T09:30:00Z' }, ['start']);
    await expect400(consultations, { ...booking, start: '2026-03-03T09:30:00' }, ['start']); // no offset: whose 09:30?
    const schedule = `/institutions/${UNKNOWN_ID}/specialists/${UNKNOWN_ID}/schedules`;
    await expect400(`${schedule}/2026-13`, { blocks: [] }, ['params.month'], 'PUT');
    await expect400(
      `${schedule}/2026-03`,
      {
        blocks: [
          { date: '2026-02-30', start: '09:00', end: '12:00' },
          { date: '2026-03-03', start: '9:00', end: '12:00' },
          { date: '2026-03-04', start: '12:00', end: '09:00' },
        ],
      },
      ['blocks.0.date', 'blocks.1.start', 'blocks.2.end'],
      'PUT',
    );
    await expect400('/consultations/not-a-uuid/cancel', { reasonCategory: 'other', reason: 'x', version: 0 }, ['params.consultationId']);
  });

  test('query strings: missing, malformed and reversed ranges', async () => {
    const slots = `/institutions/${UNKNOWN_ID}/specialists/${UNKNOWN_ID}/free-slots`;
    await expect400(slots, undefined, ['query.from', 'query.to', 'query.durationMinutes'], 'GET');
    await expect400(
      `${slots}?from=2026-03-02&to=2026-03-01T00:00:00Z&durationMinutes=61`,
      undefined,
      ['query.from', 'query.durationMinutes'],
      'GET',
    );
    await expect400(`${slots}?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z&durationMinutes=30`, undefined, ['query.to'], 'GET');
    await expect400(`${consultations}?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z`, undefined, ['query.to'], 'GET');
  });

  test('time zones must be IANA names', async () => {
    const institution = { name: 'КЦСОН', calendar: OMSK_CALENDAR };
    for (const timeZone of ['+06:00', 'UTC', 'Etc/GMT-6', 'Mars/Olympus_Mons', 'asia/omsk', '']) {
      const e = await expect400('/institutions', { ...institution, calendar: { ...OMSK_CALENDAR, timeZone } }, ['calendar.timeZone']);
      expect(e.details).toEqual({ 'calendar.timeZone': expect.stringMatching(/IANA/) });
    }
  });

  test('calendar shape: hours, lunch, week without working days, dates', async () => {
    const institution = { name: 'КЦСОН' };
    await expect400(
      '/institutions',
      {
        ...institution,
        calendar: {
          ...OMSK_CALENDAR,
          week: { ...OMSK_CALENDAR.week, '2': { start: '16:00', end: '09:00' } },
          lunch: { start: '13:00' },
          daysOff: ['2026-3-9'],
        },
      },
      ['calendar.week.2.end', 'calendar.lunch.end', 'calendar.daysOff.0'],
    );
    const closed = { '1': null, '2': null, '3': null, '4': null, '5': null, '6': null, '7': null };
    await expect400('/institutions', { ...institution, calendar: { ...OMSK_CALENDAR, week: closed } }, ['calendar.week']);
    await expect400('/institutions', { departmentId: 'Департамент', name: 'КЦСОН', calendar: OMSK_CALENDAR }, ['departmentId']);
  });

  test("institutions are created in the admin's department; another department's id is not found", async () => {
    const own = await api.post<{ departmentId: string }>('/institutions', { name: 'КЦСОН', calendar: OMSK_CALENDAR });
    expect(own.status).toBe(201);
    expect(own.body.departmentId).toBe(api.departmentId);
    const explicit = await api.post<{ departmentId: string }>('/institutions', {
      departmentId: api.departmentId,
      name: 'КЦСОН 2',
      calendar: OMSK_CALENDAR,
    });
    expect(explicit.body.departmentId).toBe(api.departmentId);
    const other = await real.department.create({ data: { name: 'Другой департамент' } });
    for (const departmentId of [other.id, UNKNOWN_ID]) {
      const res = await api.post('/institutions', { departmentId, name: 'Чужое', calendar: OMSK_CALENDAR });
      expect(res.status).toBe(404);
      expect(res.error).toMatchObject({ code: 'not_found', details: { departmentId: expect.any(String) } });
    }
    expect(await real.institution.count({ where: { departmentId: other.id } })).toBe(0);
  });

  test('cross-field rules of consultations and requests', async () => {
    await expect400(consultations, { ...booking, kind: 'dyad' }, ['direction', 'clients']);
    await expect400(consultations, { ...booking, specialistIds: [UNKNOWN_ID, UNKNOWN_ID] }, ['specialistIds']);
    await expect400(
      `/institutions/${UNKNOWN_ID}/requests`,
      {
        channel: 'email',
        fromWhom: 'аноним',
        reason: 'Просьба о консультации',
        anonymous: true,
        childName: 'Петя',
        address: 'ул. Ленина, 1',
      },
      ['childName', 'address'],
    );
    await expect400(`/institutions/${UNKNOWN_ID}/staff`, { email: 'not-an-email', displayName: ' ', role: 'specialist' }, [
      'email',
      'displayName',
      'specialist',
    ]);
  });
});

describe('unexpected errors', () => {
  test('500 internal without details; the log names the route and the error class, not its message', async () => {
    institutionsBroken = true;
    const res = await api.get('/institutions').finally(() => {
      institutionsBroken = false;
    });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
    const line = api.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.route === 'institutions.list');
    expect(line).toMatchObject({ level: 50, errName: 'Error', msg: 'unexpected error in an API handler' });
    expect(JSON.stringify(line)).not.toContain('on fire');
  });
});
