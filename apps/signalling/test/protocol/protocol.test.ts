// The protocol of a consultation against the real server and PostgreSQL: saved in place
// until «Протокол оформлен», then changed only by a new final version naming the changed
// fields (the earlier one still readable); a stale version is refused; bad input changes
// nothing; the files' type is checked by content, their size per file and per consultation,
// their checksum kept; who may read it; audit rows that never hold the text.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { Institution, Protocol, ProtocolFileView, ProtocolVersionView } from '@dp/protocol';
import { bookConsultation } from '../../src/consultations/lifecycle-writer.ts';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from '../api/support.ts';

const NOW = new Date('2026-03-01T00:00:00Z');
const REASON = 'Ребёнок не ходит в школу третью неделю';
const SOLUTION = 'Встреча с классным руководителем, консультация психолога';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let institution: Institution;
let head: Identity;
let specialist: Identity;
let otherSpecialist: Identity;
let worker: Identity;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 4 });
  api = await startApi({ prisma, now: NOW });
  const created = await api.post<Institution>('/institutions', { name: 'КЦСОН Тара', calendar: OMSK_CALENDAR });
  expect(created.status).toBe(201);
  institution = created.body;
  head = await api.staff('head', institution.id);
  specialist = await api.staff('specialist', institution.id);
  otherSpecialist = await api.staff('specialist', institution.id);
  worker = await api.staff('social_worker', institution.id);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

async function consultation(specialistId = specialist.user.id): Promise<string> {
  return bookConsultation(
    prisma,
    {
      institutionId: institution.id,
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      form: 'online',
      start: new Date('2026-03-03T03:30:00Z'),
      durationMinutes: 45,
      specialists: { create: [{ specialistId }] },
      participants: {
        create: [
          { role: 'specialist', staffUserId: specialistId, displayName: 'Специалист' },
          { role: 'client', displayName: 'Клиент' },
        ],
      },
    },
    { actorId: null, at: NOW },
  );
}

const filled = {
  reason: REASON,
  topic: 'learning',
  solution: SOLUTION,
  materials: [{ title: 'Памятка', url: 'https://example.org/a.pdf' }],
};

/** A real (tiny) PNG: signature, IHDR, IDAT, IEND with their CRCs. */
function png(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real one-page PDF (text objects; the cross-reference table is optional for a reader's sniffing). */
function pdf(): Uint8Array {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  );
}

const upload = (who: Identity, id: string, name: string, bytes: Uint8Array) =>
  api.as(who).call<ProtocolFileView>('POST', `/consultations/${id}/protocol/files?name=${encodeURIComponent(name)}`, bytes);

async function download(who: Identity, id: string, fileId: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(`${api.base}/consultations/${id}/protocol/files/${fileId}`, { headers: { cookie: who.cookie } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

describe('versions', () => {
  test('save → finalize → change makes version 2 naming the changed fields; version 1 stays readable', async () => {
    const id = await consultation();
    const as = api.as(specialist);
    const first = await as.put<Protocol>(`/consultations/${id}/protocol`, { version: 0, ...filled, solution: null });
    expect(first.status).toBe(200);
    expect(first.body.latest).toMatchObject({ version: 1, final: false, reason: REASON, solution: null });
    // Edited in place while not final.
    const second = await as.put<Protocol>(`/consultations/${id}/protocol`, { version: 1, ...filled });
    expect(second.body.latest).toMatchObject({ version: 1, final: false, solution: SOLUTION });
    expect(second.body.earlier).toEqual([]);
    // The reports read the topic from the consultation.
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id } })).topic).toBe('learning');

    const done = await as.post<Protocol>(`/consultations/${id}/protocol/finalize`, { version: 1 });
    expect(done.status).toBe(200);
    expect(done.body.latest).toMatchObject({ version: 1, final: true });

    const changed = await as.put<Protocol>(`/consultations/${id}/protocol`, {
      version: 1,
      ...filled,
      topic: 'family',
      solution: `${SOLUTION}; повторная встреча через месяц`,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.latest).toMatchObject({ version: 2, final: true, topic: 'family', changedFields: ['topic', 'solution'] });
    expect(changed.body.earlier).toEqual([expect.objectContaining({ version: 1, final: true, changedFields: [] })]);
    const v1 = await as.get<ProtocolVersionView>(`/consultations/${id}/protocol/versions/1`);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ version: 1, final: true, topic: 'learning', solution: SOLUTION, reason: REASON });
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id } })).topic).toBe('family');
    // Saving the same content again makes no version 3.
    const same = await as.put<Protocol>(`/consultations/${id}/protocol`, {
      version: 2,
      ...filled,
      topic: 'family',
      solution: `${SOLUTION}; повторная встреча через месяц`,
    });
    expect(same.body.latest?.version).toBe(2);
    expect((await as.get(`/consultations/${id}/protocol/versions/3`)).status).toBe(404);
  });

  test('a stale version answers 409 with the current one and changes nothing', async () => {
    const id = await consultation();
    const as = api.as(specialist);
    expect((await as.put(`/consultations/${id}/protocol`, { version: 0, ...filled })).status).toBe(200);
    const stale = await api.as(head).put(`/consultations/${id}/protocol`, { version: 0, ...filled, reason: 'Другое' });
    expect(stale.status).toBe(409);
    expect(stale.error).toMatchObject({ code: 'conflict', details: { currentVersion: 1 } });
    expect(stale.error.message).toMatch(/Протокол уже изменили/);
    expect((await prisma.protocolVersion.findMany({ where: { consultationId: id } })).map((v) => v.reason)).toEqual([REASON]);
    // Finalizing a version that is not the latest is refused the same way.
    expect((await as.post(`/consultations/${id}/protocol/finalize`, { version: 2 })).status).toBe(409);
  });

  test('a new protocol offers the booked topic; saved without a topic, it leaves the booked one', async () => {
    const id = await consultation();
    await prisma.consultation.update({ where: { id }, data: { topic: 'crisis' } });
    const as = api.as(specialist);
    expect((await as.get<Protocol>(`/consultations/${id}/protocol`)).body).toMatchObject({ latest: null, consultationTopic: 'crisis' });
    await as.put(`/consultations/${id}/protocol`, { version: 0, reason: REASON, topic: null, solution: null, materials: [] });
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id } })).topic).toBe('crisis');
    await as.put(`/consultations/${id}/protocol`, { version: 1, reason: REASON, topic: 'legal_aid', solution: null, materials: [] });
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id } })).topic).toBe('legal_aid');
  });

  test('finalize needs the reason, the topic and the solution (field errors)', async () => {
    const id = await consultation();
    const as = api.as(specialist);
    await as.put(`/consultations/${id}/protocol`, { version: 0, reason: REASON, topic: null, solution: '', materials: [] });
    const res = await as.post(`/consultations/${id}/protocol/finalize`, { version: 1 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.error.details as object).sort()).toEqual(['solution', 'topic']);
    expect((await prisma.protocolVersion.findFirstOrThrow({ where: { consultationId: id } })).final).toBe(false);
  });

  test('bad input — oversized text, a link that is not http(s), too many links, an unknown topic — 400 per field, nothing saved', async () => {
    const id = await consultation();
    const res = await api.as(specialist).put(`/consultations/${id}/protocol`, {
      version: 0,
      reason: 'я'.repeat(10_001),
      topic: 'astrology',
      solution: SOLUTION,
      materials: [{ title: 'Скрипт', url: 'javascript:alert(1)' }],
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.error.details as object).sort()).toEqual(['materials.0.url', 'reason', 'topic']);
    const many = await api.as(specialist).put(`/consultations/${id}/protocol`, {
      version: 0,
      ...filled,
      materials: Array.from({ length: 21 }, (_, i) => ({ title: `Ссылка ${i}`, url: `https://example.org/${i}` })),
    });
    expect(many.status).toBe(400);
    expect(Object.keys(many.error.details as object)).toEqual(['materials']);
    expect(await prisma.protocolVersion.count({ where: { consultationId: id } })).toBe(0);
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id } })).topic).toBeNull();
  });
});

describe('files', () => {
  test('a PDF and a PNG are taken, typed by content, and come back byte for byte with their checksum', async () => {
    const id = await consultation();
    for (const [name, bytes, mime] of [
      ['Памятка для семьи.pdf', pdf(), 'application/pdf'],
      ['схема.png', png(), 'image/png'],
      ['заметка.txt', new TextEncoder().encode('Телефон доверия: 8-800\n'), 'text/plain; charset=utf-8'],
    ] as const) {
      const res = await upload(specialist, id, name, bytes);
      expect([name, res.status]).toEqual([name, 201]);
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(res.body).toMatchObject({ name, mime, sizeBytes: bytes.length, sha256: sha });
      const back = await download(specialist, id, res.body.id);
      expect(back.status).toBe(200);
      expect(createHash('sha256').update(back.bytes).digest('hex')).toBe(sha);
      expect(back.headers.get('content-type')).toContain(mime.split(';')[0]!);
      expect(back.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
    }
    const protocol = await api.as(specialist).get<Protocol>(`/consultations/${id}/protocol`);
    expect(protocol.body.files.map((f) => f.name)).toEqual(['Памятка для семьи.pdf', 'схема.png', 'заметка.txt']);
  });

  test('a renamed .exe, binary junk and an empty file are refused; nothing is stored', async () => {
    const id = await consultation();
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    exe.writeUInt32LE(0x80, 0x3c);
    Buffer.from('PE\0\0', 'latin1').copy(exe, 0x80);
    const refused = await upload(specialist, id, 'отчёт.pdf', exe);
    expect(refused.status).toBe(415);
    expect(refused.error.code).toBe('unsupported_file_type');
    expect((await upload(specialist, id, 'текст.txt', Buffer.from([0x41, 0x00, 0x42]))).status).toBe(415);
    expect((await upload(specialist, id, 'текст.txt', Buffer.from([0xff, 0xfe, 0xfd]))).status).toBe(415);
    expect((await upload(specialist, id, 'пусто.txt', new Uint8Array(0))).status).toBe(400);
    expect(await prisma.protocolFile.count({ where: { consultationId: id } })).toBe(0);
  });

  test('10 MB + 1 byte is refused with 413 in Russian; 50 MB per consultation in all', async () => {
    const id = await consultation();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    const res = await upload(specialist, id, 'большой.txt', big);
    expect(res.status).toBe(413);
    expect(res.error).toMatchObject({ code: 'payload_too_large', details: { file: 'Файл больше 10 МБ' } });
    // Five files of exactly 10 MB fill the 50 MB; the sixth, however small, is refused.
    const ten = Buffer.alloc(10 * 1024 * 1024, 0x62);
    for (let i = 0; i < 5; i++) expect((await upload(specialist, id, `часть ${i}.txt`, ten)).status).toBe(201);
    const over = await upload(specialist, id, 'ещё.txt', Buffer.from('ещё'));
    expect(over.status).toBe(413);
    expect(over.error.message).toMatch(/50 МБ/);
    expect(await prisma.protocolFile.count({ where: { consultationId: id } })).toBe(5);
  }, 60_000);

  test('a file is removed only while the protocol is not final', async () => {
    const id = await consultation();
    const as = api.as(specialist);
    const file = await upload(specialist, id, 'памятка.txt', Buffer.from('Памятка'));
    const other = await upload(specialist, id, 'вторая.txt', Buffer.from('Вторая'));
    expect((await as.call('DELETE', `/consultations/${id}/protocol/files/${file.body.id}`)).status).toBe(200);
    await as.put(`/consultations/${id}/protocol`, { version: 0, ...filled });
    await as.post(`/consultations/${id}/protocol/finalize`, { version: 1 });
    const late = await as.call('DELETE', `/consultations/${id}/protocol/files/${other.body.id}`);
    expect(late.status).toBe(409);
    expect(await prisma.protocolFile.count({ where: { consultationId: id } })).toBe(1);
  });
});

describe('access and audit', () => {
  test("another specialist's consultation is 404; a social worker 403; the head reads it", async () => {
    const id = await consultation();
    await api.as(specialist).put(`/consultations/${id}/protocol`, { version: 0, ...filled });
    const file = await upload(specialist, id, 'памятка.txt', Buffer.from('Памятка'));
    expect((await api.as(otherSpecialist).get(`/consultations/${id}/protocol`)).status).toBe(404);
    expect((await api.as(otherSpecialist).put(`/consultations/${id}/protocol`, { version: 1, ...filled })).status).toBe(404);
    expect((await download(otherSpecialist, id, file.body.id)).status).toBe(404);
    expect((await api.as(worker).get(`/consultations/${id}/protocol`)).status).toBe(403);
    expect((await download(worker, id, file.body.id)).status).toBe(403);
    expect((await upload(worker, id, 'x.txt', Buffer.from('x'))).status).toBe(403);
    expect((await api.as(head).get(`/consultations/${id}/protocol`)).status).toBe(200);
  });

  test('every change is an audit row naming the record, never its text or the file name', async () => {
    const id = await consultation();
    const as = api.as(specialist);
    await as.put(`/consultations/${id}/protocol`, { version: 0, ...filled });
    await as.post(`/consultations/${id}/protocol/finalize`, { version: 1 });
    await as.put(`/consultations/${id}/protocol`, { version: 1, ...filled, reason: 'Уточнённый повод' });
    const file = await upload(specialist, id, 'секретное имя.txt', Buffer.from('Текст файла'));
    const rows = await prisma.auditEvent.findMany({
      where: { OR: [{ targetId: id }, { targetId: file.body.id }], action: { startsWith: 'protocol.' } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.action, r.actorId])).toEqual([
      ['protocol.saved', specialist.user.id],
      ['protocol.finalized', specialist.user.id],
      ['protocol.new_version', specialist.user.id],
      ['protocol.file_added', specialist.user.id],
    ]);
    expect(rows[2]!.details).toEqual({ version: 2, fields: ['reason'] });
    const text = JSON.stringify(rows.map((r) => ({ ...r, id: String(r.id) })));
    for (const secret of [REASON, SOLUTION, 'Уточнённый повод', 'секретное имя', 'example.org', 'Текст файла'])
      expect(text).not.toContain(secret);
  });
});
