// The sensitive grants, written out BY HAND — not read from packages/protocol/src/permissions.ts
// (matrix.test.ts generates its cases from that table, so a wrong cell there would be
// «expected» there too). A change to who may read a client's chat, the private notes, a
// client's contacts or link, the audit log, or who may enter a room in which role, must change
// this file as well, on purpose. Every cell is checked against the real server: REST calls
// with a real session and CSRF token, and socket joins over socket.io with the session cookie
// or a client's link.
//
// The cast (one department; «own» is the consultation's institution):
//   admin            the department's admin
//   head             the head of the consultation's institution
//   specialist       the consultation's specialist (did not book it)
//   otherSpecialist  a specialist of the same institution, not in it
//   booker           the social worker who booked it
//   responsible      the social worker responsible for its request
//   otherSW          another social worker of the institution
//   siblingHead      the head of another institution of the department
//   foreignAdmin     another department's admin
//   anonymous        nobody signed in
// Answers: 'yes' (200 and the data is there), 'hidden' (200, the data is not there),
// 401/403/404 (refused; 404 never confirms an id outside the caller's reach).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Ack } from '@dp/protocol';
import { connectPeer, startStack, threeInstitutions, type Stack } from '../harness.ts';
import { journalRequest, linkOf, openConsultation, staffMember, type Inst, type Seated, type StaffIdentity } from '../world.ts';

const PEOPLE = [
  'admin',
  'head',
  'specialist',
  'otherSpecialist',
  'booker',
  'responsible',
  'otherSW',
  'siblingHead',
  'foreignAdmin',
  'anonymous',
] as const;
type Person = (typeof PEOPLE)[number];
type Answer = 'yes' | 'hidden' | 401 | 403 | 404;
type Row = Record<Person, Answer>;

//                                   admin     head   specialist otherSpec booker  responsible otherSW siblingHead foreignAdmin anonymous
const row = (...a: Answer[]): Row => Object.fromEntries(PEOPLE.map((p, i) => [p, a[i]!])) as Row;

/** THE TABLE. Change it only together with the product, on purpose. */
const EXPECTED = {
  /** GET /consultations/:id/chat — what was said in the room: only the staff who lead the work. */
  chat: row(403, 'yes', 'yes', 404, 403, 403, 403, 404, 404, 401),
  /** GET /consultations/:id/notes — the specialist's private notes. */
  notes: row(403, 'yes', 'yes', 404, 403, 403, 403, 404, 404, 401),
  /** GET /consultations/:id/email-answers — the text of an answer by e-mail (the record): those who lead the work and keep the journal. */
  emailAnswerBody: row(403, 'yes', 'yes', 404, 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET /consultations/:id — the client participants' e-mail addresses in it. */
  participantEmail: row('yes', 'yes', 'yes', 404, 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET /institutions/:iid/requests — the request's contact field (a specialist sees only requests they are responsible for). */
  requestContact: row('yes', 'yes', 'hidden', 'hidden', 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET /institutions/:iid/day — the phone of a family an e-mail did not reach: those who phone the families. */
  dayBoardContact: row('yes', 'yes', 'hidden', 'hidden', 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET /institutions/:iid/clients — the registry's contacts (a specialist: only clients of their requests and consultations). */
  clientRegistry: row('yes', 'yes', 'yes', 'hidden', 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET /institutions/:iid/clients/:id — one client's record and history. */
  clientRecord: row('yes', 'yes', 'yes', 404, 'yes', 'yes', 'yes', 404, 404, 401),
  /** PATCH the same — changing a client's data: intake roles only. */
  clientUpdate: row('yes', 'yes', 403, 403, 'yes', 'yes', 'yes', 404, 404, 401),
  /** Any consultation response carrying a join link (none may: links are shown only by the route below). */
  linkInConsultation: row('hidden', 'hidden', 'hidden', 404, 'hidden', 'hidden', 'hidden', 404, 404, 401),
  /** GET /consultations/:id/participants/:pid/link — a client's link: the booker, the responsible social worker and the head. */
  showClientLink: row(403, 'yes', 403, 404, 'yes', 'yes', 403, 404, 404, 401),
  /** POST the same — «Выдать новую ссылку»: the same people. */
  rotateClientLink: row(403, 'yes', 403, 404, 'yes', 'yes', 403, 404, 404, 401),
  /** GET /institutions/:iid/dyads — the names of the two registry families of a dyad: the head and its curator (a specialist sees only their own). */
  dyadMembers: row('yes', 'yes', 'yes', 'hidden', 403, 403, 403, 404, 404, 401),
  /** POST /consultations/:id/participants — adding people to a webinar, each mailed a personal link: whoever may book it. */
  addParticipants: row('yes', 'yes', 'yes', 404, 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET /institutions/:iid/requests/:id — one request with its contact: as the journal, a specialist only when responsible for it. */
  requestOne: row('yes', 'yes', 404, 404, 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET /institutions/:iid/move-proposals — moves waiting for approval, with the clients' e-mails: the head and the admin. */
  moveProposals: row('yes', 'yes', 403, 403, 403, 403, 403, 404, 404, 401),
  /** GET /audit — the audit log: the department's admin only. */
  auditLog: row('yes', 403, 403, 403, 403, 403, 403, 403, 'hidden', 401),
  /** GET /consultations/:id/protocol — the protocol's reason and solution: the head and the consultation's own specialist. */
  protocol: row(403, 'yes', 'yes', 404, 403, 403, 403, 404, 404, 401),
  /** GET …/protocol/files/:fileId — a file given with the protocol: the same people. */
  protocolFile: row(403, 'yes', 'yes', 404, 403, 403, 403, 404, 404, 401),
  /** GET /institutions/:iid/journal — the consultation journal with the families' names: who keeps journals (a specialist: their own); no department admin. */
  journal: row(403, 'yes', 'yes', 'hidden', 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET …/journal/export — the same as a file. */
  journalExport: row(403, 'yes', 'yes', 'hidden', 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET /consultations/:id/registry/export — the group registry with names as a file: like the registry, without the department admin. */
  registryExport: row(403, 'yes', 'yes', 404, 'yes', 'yes', 'yes', 404, 404, 401),
  /** GET /institutions/:iid/reports/:month/records — the records behind a report figure: with the families' names for the institution's head; the admin (the resource centre) without names. */
  reportRecords: row('hidden', 'yes', 403, 403, 403, 403, 403, 404, 404, 401),
} satisfies Record<string, Row>;

/** Staff joining the consultation's room by their session: the role they get, or the error code. */
const JOIN_BY_SESSION: Record<Exclude<Person, 'anonymous'>, string> = {
  admin: 'forbidden', // admins watch room health, never a consultation
  head: 'not_found', // a head enters only when listed in the consultation (below: as curator)
  specialist: 'specialist',
  otherSpecialist: 'not_found',
  booker: 'not_found', // booking is not taking part
  responsible: 'not_found',
  otherSW: 'not_found',
  siblingHead: 'not_found',
  foreignAdmin: 'not_found',
};

let stack: Stack;
let inst: Record<'own' | 'sibling' | 'foreign', Inst>;
const cast = {} as Record<Exclude<Person, 'anonymous'>, StaffIdentity>;
let consultation: Seated;
let bookedBySpecialist: Seated;
let requestId: string;
let clientId: string;
/** The consultation's client in the registry (linked to its request). */
let registryClientId: string;
const REGISTRY_PHONE = '+7 900 111-22-33';

interface Reply {
  status: number;
  body: { url?: string; events?: { institutionId?: string | null }[] } | undefined;
}

async function api(person: Person, method: string, path: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (person !== 'anonymous') {
    headers.cookie = cast[person].cookie;
    headers['x-csrf-token'] = cast[person].csrf;
  }
  const res = await fetch(`${stack.url}/api${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const refused = (status: number): Answer =>
  status === 401 || status === 403 || status === 404 ? status : (`unexpected ${status}` as never);

beforeAll(async () => {
  stack = await startStack(25200);
  inst = await threeInstitutions(stack);
  const own = { institutionId: inst.own.id, departmentId: inst.own.departmentId };
  cast.admin = await staffMember(stack, 'admin', { institutionId: null, departmentId: inst.own.departmentId });
  cast.head = await staffMember(stack, 'head', own);
  cast.specialist = await staffMember(stack, 'specialist', own);
  cast.otherSpecialist = await staffMember(stack, 'specialist', own);
  cast.booker = await staffMember(stack, 'social_worker', own);
  cast.responsible = await staffMember(stack, 'social_worker', own);
  cast.otherSW = await staffMember(stack, 'social_worker', own);
  cast.siblingHead = await staffMember(stack, 'head', { institutionId: inst.sibling.id, departmentId: inst.sibling.departmentId });
  cast.foreignAdmin = await staffMember(stack, 'admin', { institutionId: null, departmentId: inst.foreign.departmentId });
  requestId = await journalRequest(stack, inst.own.id, cast.responsible.id, cast.booker.id);
  consultation = await openConsultation(stack, inst.own, 'one_to_one', [{ userId: cast.specialist.id, role: 'specialist' }], {
    createdById: cast.booker.id,
    requestId,
  });
  clientId = consultation.participants.find((p) => p.role === 'client')!.id;
  const registryClient = await stack.signalling.prisma.client.create({
    data: {
      institutionId: inst.own.id,
      representativeName: 'Клиентова Анна',
      phone: REGISTRY_PHONE,
      consentMethod: 'written',
      consentAt: new Date(),
      consentRecordedById: cast.responsible.id,
    },
  });
  registryClientId = registryClient.id;
  await stack.signalling.prisma.request.update({ where: { id: requestId }, data: { clientId: registryClientId } });
  bookedBySpecialist = await openConsultation(stack, inst.own, 'one_to_one', [{ userId: cast.specialist.id, role: 'specialist' }], {
    createdById: cast.specialist.id,
  });
  // Something in the chat and the notes, so that «yes» means the content was handed out.
  const prisma = stack.signalling.prisma;
  const specialistParticipant = consultation.participants.find((p) => p.role === 'specialist')!;
  await prisma.roomMessage.create({
    data: { consultationId: consultation.id, participantId: specialistParticipant.id, kind: 'message', body: 'Сообщение в чате' },
  });
  await prisma.consultationNote.create({ data: { consultationId: consultation.id, authorId: cast.specialist.id, body: 'Личная заметка' } });
  await prisma.emailAnswer.create({
    data: {
      consultationId: consultation.id,
      requestId,
      toAddress: 'family@example.org',
      body: 'Ответ по электронной почте',
      status: 'sent',
      sentAt: new Date(),
      authorId: cast.specialist.id,
    },
  });
}, 120_000);

afterAll(async () => {
  await stack?.close();
}, 30_000);

describe('the sensitive grants, cell by cell, against the real server', () => {
  it.each(PEOPLE)('chat and private notes: %s', async (person) => {
    const chat = await api(person, 'GET', `/consultations/${consultation.id}/chat`);
    const notes = await api(person, 'GET', `/consultations/${consultation.id}/notes`);
    const chatAnswer: Answer =
      chat.status === 200 ? (JSON.stringify(chat.body).includes('Сообщение в чате') ? 'yes' : 'hidden') : refused(chat.status);
    const notesAnswer: Answer =
      notes.status === 200 ? (JSON.stringify(notes.body).includes('Личная заметка') ? 'yes' : 'hidden') : refused(notes.status);
    expect({ chat: chatAnswer, notes: notesAnswer }).toEqual({ chat: EXPECTED.chat[person], notes: EXPECTED.notes[person] });
  });

  it.each(PEOPLE)('the text of an answer by e-mail: %s', async (person) => {
    const res = await api(person, 'GET', `/consultations/${consultation.id}/email-answers`);
    const answer: Answer =
      res.status === 200 ? (JSON.stringify(res.body).includes('Ответ по электронной почте') ? 'yes' : 'hidden') : refused(res.status);
    expect(answer).toBe(EXPECTED.emailAnswerBody[person]);
  });

  it.each(PEOPLE)("a client's contacts and a link in the consultation: %s", async (person) => {
    const email = (await stack.signalling.prisma.participant.findUniqueOrThrow({ where: { id: clientId } })).email!;
    const c = await api(person, 'GET', `/consultations/${consultation.id}`);
    const text = JSON.stringify(c.body);
    const participantEmail: Answer = c.status === 200 ? (text.includes(email) ? 'yes' : 'hidden') : refused(c.status);
    const linkInConsultation: Answer = c.status === 200 ? (/\/join\/|"links"|"token"/.test(text) ? 'yes' : 'hidden') : refused(c.status);
    const list = await api(person, 'GET', `/institutions/${inst.own.id}/requests`);
    const requestContact: Answer =
      list.status === 200 ? (JSON.stringify(list.body).includes('+7 900 000-00-00') ? 'yes' : 'hidden') : refused(list.status);
    expect({ participantEmail, requestContact, linkInConsultation }).toEqual({
      participantEmail: EXPECTED.participantEmail[person],
      requestContact: EXPECTED.requestContact[person],
      linkInConsultation: EXPECTED.linkInConsultation[person],
    });
  });

  it.each(PEOPLE)("the day board's families to phone: %s", async (person) => {
    const prisma = stack.signalling.prisma;
    if ((await prisma.notification.count({ where: { participantId: clientId } })) === 0)
      await prisma.notification.create({
        data: { consultationId: consultation.id, participantId: clientId, kind: 'reminder', recipient: '-', status: 'skipped' },
      });
    const c = await prisma.consultation.findUniqueOrThrow({
      where: { id: consultation.id },
      select: { start: true, institution: { select: { timeZone: true } } },
    });
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: c.institution.timeZone }).format(c.start);
    const res = await api(person, 'GET', `/institutions/${inst.own.id}/day?date=${date}`);
    const answer: Answer =
      res.status === 200 ? (JSON.stringify(res.body).includes('+7 900 000-00-00') ? 'yes' : 'hidden') : refused(res.status);
    expect(answer).toBe(EXPECTED.dayBoardContact[person]);
  });

  it.each(PEOPLE)("a client's link, shown and issued anew: %s", async (person) => {
    const path = `/consultations/${consultation.id}/participants/${clientId}/link`;
    const shown = await api(person, 'GET', path);
    const rotated = await api(person, 'POST', path, {});
    const answer = (r: Reply): Answer =>
      r.status === 200 ? (String(r.body?.url ?? '').includes('/join/') ? 'yes' : 'hidden') : refused(r.status);
    expect({ show: answer(shown), rotate: answer(rotated) }).toEqual({
      show: EXPECTED.showClientLink[person],
      rotate: EXPECTED.rotateClientLink[person],
    });
  });

  it('the specialist who booked a consultation hands its client link over; nobody has a link for a member of staff', async () => {
    const client = bookedBySpecialist.participants.find((p) => p.role === 'client')!;
    const staffParticipant = bookedBySpecialist.participants.find((p) => p.role === 'specialist')!;
    expect((await api('specialist', 'GET', `/consultations/${bookedBySpecialist.id}/participants/${client.id}/link`)).status).toBe(200);
    expect((await api('head', 'GET', `/consultations/${bookedBySpecialist.id}/participants/${staffParticipant.id}/link`)).status).toBe(404);
  });

  it.each(PEOPLE)("the clients' registry: %s", async (person) => {
    const list = await api(person, 'GET', `/institutions/${inst.own.id}/clients`);
    const record = await api(person, 'GET', `/institutions/${inst.own.id}/clients/${registryClientId}`);
    const update = await api(person, 'PATCH', `/institutions/${inst.own.id}/clients/${registryClientId}`, { ipsr: false });
    const has = (r: Reply): Answer =>
      r.status === 200 ? (JSON.stringify(r.body).includes(REGISTRY_PHONE) ? 'yes' : 'hidden') : refused(r.status);
    expect({ list: has(list), record: has(record), update: has(update) }).toEqual({
      list: EXPECTED.clientRegistry[person],
      record: EXPECTED.clientRecord[person],
      update: EXPECTED.clientUpdate[person],
    });
  });

  it.each(PEOPLE)('dyads and webinar participants: %s', async (person) => {
    const prisma = stack.signalling.prisma;
    const webinar = await openConsultation(stack, inst.own, 'webinar', [{ userId: cast.specialist.id, role: 'host' }]);
    const partner = await prisma.client.create({
      data: {
        institutionId: inst.own.id,
        representativeName: 'Партнёрова Вера',
        phone: '+7 900 000-00-09',
        consentMethod: 'written',
        consentAt: new Date(),
        consentRecordedById: cast.responsible.id,
      },
    });
    await prisma.dyad.create({
      data: {
        institutionId: inst.own.id,
        client1Id: registryClientId,
        client1Motivation: 'high',
        client2Id: partner.id,
        client2Motivation: 'low',
        curatorId: cast.specialist.id,
      },
    });
    const dyads = await api(person, 'GET', `/institutions/${inst.own.id}/dyads`);
    const added = await api(person, 'POST', `/consultations/${webinar.id}/participants`, { emailList: 'Гостья <guest@example.org>' });
    const names = (r: Reply): Answer =>
      r.status === 200 ? (JSON.stringify(r.body).includes('Партнёрова Вера') ? 'yes' : 'hidden') : refused(r.status);
    expect({ dyads: names(dyads), added: added.status === 201 ? 'yes' : refused(added.status) }).toEqual({
      dyads: EXPECTED.dyadMembers[person],
      added: EXPECTED.addParticipants[person],
    });
  });

  it.each(PEOPLE)('one request, and the moves waiting for approval: %s', async (person) => {
    const prisma = stack.signalling.prisma;
    if ((await prisma.consultationMoveProposal.count({ where: { consultationId: consultation.id } })) === 0)
      await prisma.consultationMoveProposal.create({
        data: {
          consultationId: consultation.id,
          proposedById: cast.specialist.id,
          start: new Date(Date.now() + 86_400_000),
          durationMinutes: 45,
        },
      });
    const email = (await prisma.participant.findUniqueOrThrow({ where: { id: clientId } })).email!;
    const one = await api(person, 'GET', `/institutions/${inst.own.id}/requests/${requestId}`);
    const moves = await api(person, 'GET', `/institutions/${inst.own.id}/move-proposals`);
    expect({
      requestOne: one.status === 200 ? (JSON.stringify(one.body).includes('+7 900 000-00-00') ? 'yes' : 'hidden') : refused(one.status),
      moveProposals: moves.status === 200 ? (JSON.stringify(moves.body).includes(email) ? 'yes' : 'hidden') : refused(moves.status),
    }).toEqual({ requestOne: EXPECTED.requestOne[person], moveProposals: EXPECTED.moveProposals[person] });
  });

  it.each(PEOPLE)('the protocol and its files: %s', async (person) => {
    const prisma = stack.signalling.prisma;
    if ((await prisma.protocolVersion.count({ where: { consultationId: consultation.id } })) === 0)
      await prisma.protocolVersion.create({
        data: {
          consultationId: consultation.id,
          version: 1,
          reason: 'Повод протокола',
          solution: 'Решение протокола',
          authorId: cast.specialist.id,
        },
      });
    const file =
      (await prisma.protocolFile.findFirst({ where: { consultationId: consultation.id }, select: { id: true } })) ??
      (await prisma.protocolFile.create({
        data: {
          consultationId: consultation.id,
          name: 'файл.txt',
          mime: 'text/plain; charset=utf-8',
          sizeBytes: 14,
          sha256: '0'.repeat(64),
          data: new TextEncoder().encode('Файл протокола'),
          uploadedById: cast.specialist.id,
        },
        select: { id: true },
      }));
    const protocol = await api(person, 'GET', `/consultations/${consultation.id}/protocol`);
    const headers: Record<string, string> = person === 'anonymous' ? {} : { cookie: cast[person].cookie };
    const download = await fetch(`${stack.url}/api/consultations/${consultation.id}/protocol/files/${file.id}`, { headers });
    const bytes = await download.text();
    expect({
      protocol:
        protocol.status === 200
          ? JSON.stringify(protocol.body).includes('Решение протокола')
            ? 'yes'
            : 'hidden'
          : refused(protocol.status),
      protocolFile: download.status === 200 ? (bytes === 'Файл протокола' ? 'yes' : 'hidden') : refused(download.status),
    }).toEqual({ protocol: EXPECTED.protocol[person], protocolFile: EXPECTED.protocolFile[person] });
  });

  it.each(PEOPLE)('the consultation journal and the registry, on screen and as files: %s', async (person) => {
    const c = await stack.signalling.prisma.consultation.findUniqueOrThrow({
      where: { id: consultation.id },
      select: { start: true, institution: { select: { timeZone: true } } },
    });
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: c.institution.timeZone }).format(c.start);
    const period = `from=${date}&to=${date}`;
    const screen = await api(person, 'GET', `/institutions/${inst.own.id}/journal?${period}`);
    const headers: Record<string, string> = person === 'anonymous' ? {} : { cookie: cast[person].cookie };
    const file = async (path: string): Promise<{ status: number; text: string }> => {
      const res = await fetch(`${stack.url}/api${path}`, { headers });
      return { status: res.status, text: await res.text() };
    };
    const exported = await file(`/institutions/${inst.own.id}/journal/export?${period}&format=csv`);
    const registry = await file(`/consultations/${consultation.id}/registry/export?format=csv`);
    const { displayName } = await stack.signalling.prisma.staffUser.findUniqueOrThrow({ where: { id: cast.specialist.id } });
    expect({
      journal: screen.status === 200 ? (JSON.stringify(screen.body).includes(consultation.id) ? 'yes' : 'hidden') : refused(screen.status),
      journalExport:
        exported.status === 200 ? (/Трудности в школе|Повод протокола/.test(exported.text) ? 'yes' : 'hidden') : refused(exported.status),
      registryExport: registry.status === 200 ? (registry.text.includes(displayName) ? 'yes' : 'hidden') : refused(registry.status),
    }).toEqual({
      journal: EXPECTED.journal[person],
      journalExport: EXPECTED.journalExport[person],
      registryExport: EXPECTED.registryExport[person],
    });
  });

  it.each(PEOPLE)('the records behind a report figure: %s', async (person) => {
    // The month whose reporting period (default: from the 25th) holds the request's receipt.
    const r = await stack.signalling.prisma.request.findUniqueOrThrow({
      where: { id: requestId },
      select: { receivedAt: true, institution: { select: { timeZone: true } } },
    });
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: r.institution.timeZone }).format(r.receivedAt).split('-').map(Number);
    const [y, m, d] = local as [number, number, number];
    const index = y * 12 + (m - 1) + (d >= 25 ? 1 : 0);
    const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    const res = await api(person, 'GET', `/institutions/${inst.own.id}/reports/${month}/records?key=requests.received`);
    const text = JSON.stringify(res.body);
    const answer: Answer =
      res.status === 200
        ? text.includes(requestId)
          ? text.includes('Мать ребёнка')
            ? 'yes'
            : 'hidden'
          : ('missing' as never)
        : refused(res.status);
    expect(answer).toBe(EXPECTED.reportRecords[person]);
  });

  it.each(PEOPLE)('the audit log: %s', async (person) => {
    const res = await api(person, 'GET', '/audit');
    // 'yes': the rows of this department are in it (the booking's link showings above, or the refusals).
    const own = res.status === 200 && (res.body?.events ?? []).some((e) => e.institutionId === inst.own.id);
    const answer: Answer = res.status === 200 ? (own ? 'yes' : 'hidden') : refused(res.status);
    expect(answer).toBe(EXPECTED.auditLog[person]);
  });
});

describe('who enters the room, in which role', () => {
  const join = async (payload: Record<string, unknown>, cookie?: string): Promise<string> => {
    const peer = await connectPeer(stack, { ...(cookie ? { cookie } : {}), origin: stack.url });
    const ack = (await peer.request('join', payload)) as Ack<{ self: { role: string } }>;
    peer.close();
    return ack.ok ? ack.data.self.role : ack.error.code;
  };

  it.each(Object.keys(JOIN_BY_SESSION) as (keyof typeof JOIN_BY_SESSION)[])('%s, by the session cookie', async (person) => {
    expect(await join({ consultationId: consultation.id }, cast[person].cookie)).toBe(JOIN_BY_SESSION[person]);
  });

  it('nobody signed in, naming the consultation → unauthenticated', async () => {
    expect(await join({ consultationId: consultation.id })).toBe('unauthenticated');
  });

  it("a client by its link → client (and that link is no way into another consultation's room)", async () => {
    expect(await join({ token: await linkOf(stack, clientId) })).toBe('client');
    expect(await join({ token: await linkOf(stack, clientId), consultationId: bookedBySpecialist.id })).toBe('bad_request');
  });

  it('a link signed for a staff role (specialist, host, cohost, curator) → invalid_token: staff enter signed in', async () => {
    const specialistParticipant = consultation.participants.find((p) => p.role === 'specialist')!;
    for (const role of ['specialist', 'host', 'cohost', 'curator'] as const) {
      const token = stack.signalling.links.sign({
        consultationId: consultation.id,
        participantId: specialistParticipant.id,
        role,
        generation: 1,
        expiresAt: new Date(Date.now() + 3600_000),
      });
      expect([role, await join({ token })]).toEqual([role, 'invalid_token']);
    }
  });

  it('a webinar: its first specialist hosts, the second co-hosts, a client attends; a head listed in a dyad curates', async () => {
    const own = { institutionId: inst.own.id, departmentId: inst.own.departmentId };
    const host = await staffMember(stack, 'specialist', own);
    const cohost = await staffMember(stack, 'specialist', own);
    const webinar = await openConsultation(
      stack,
      inst.own,
      'webinar',
      [
        { userId: host.id, role: 'host' },
        { userId: cohost.id, role: 'cohost' },
      ],
      { specialistIds: [host.id, cohost.id] },
    );
    expect(await join({ consultationId: webinar.id }, host.cookie)).toBe('host');
    expect(await join({ consultationId: webinar.id }, cohost.cookie)).toBe('cohost');
    expect(await join({ token: await linkOf(stack, webinar.participants.find((p) => p.role === 'attendee')!.id) })).toBe('attendee');
    const dyad = await openConsultation(stack, inst.own, 'dyad', [{ userId: cast.head.id, role: 'curator' }], {
      clients: 2,
      specialistIds: [],
    });
    expect(await join({ consultationId: dyad.id }, cast.head.cookie)).toBe('curator');
    expect(await join({ token: await linkOf(stack, dyad.participants.find((p) => p.role === 'client')!.id) })).toBe('client');
    // A social worker of the institution, not listed: not in.
    expect(await join({ consultationId: dyad.id }, cast.otherSW.cookie)).toBe('not_found');
  });
});
