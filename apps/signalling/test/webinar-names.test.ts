// Issue 15, finding 4: webinar attendees must not learn each other's names. Every event an
// attendee's socket receives — join acks, the chat and its history, questions, hands, the
// floor given with and without the name, a reconnect — is collected and searched for the
// other attendees' names; they know each other only as «Участник N», N the same on every
// return. Hosts keep seeing names. Real SFU, real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ChatMessage, PeerInfo, RequestResult } from '@dp/protocol';
import { prismaRoomRecords } from '../src/rooms/room-store.ts';
import {
  connectPeer,
  errorCode,
  ok,
  roomId,
  seatFor,
  startStack,
  TEST_RESUME_GRACE_MS,
  tokenFor,
  waitFor,
  type Stack,
  type TestPeer,
} from './harness.ts';

// A real SFU and a scratch database start slowly on a busy 2-core machine.
jest.setTimeout(30_000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(24150);
}, 90_000);
afterAll(async () => {
  await stack?.close();
});

type Joined = RequestResult<'join'>;

/** Everything one attendee's browser was told, over all its connections: acks and events. */
interface Ear {
  name: string;
  token: string;
  id: string;
  peer: TestPeer;
  joined: Joined;
  heard: { event: string; data: unknown }[];
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connects and joins by link, recording every event and acknowledgement of the socket. */
async function listen(ear: Pick<Ear, 'name' | 'token' | 'heard'>): Promise<Ear> {
  const peer = await connectPeer(stack);
  peer.socket.onAny((event: string, data: unknown) => ear.heard.push({ event, data }));
  const request = peer.request;
  // Acknowledgements are what the server says too.
  peer.request = async (event, payload) => {
    const ack = await request(event, payload);
    ear.heard.push({ event: `ack:${event}`, data: ack });
    return ack as never;
  };
  const joined = ok(await peer.request<Joined>('join', { token: ear.token }));
  return { ...ear, peer, joined, id: joined.self.id };
}

async function attendee(room: string, name: string): Promise<Ear> {
  const token = await tokenFor(stack, room, 'attendee', { kind: 'webinar', displayName: name });
  return listen({ name, token, heard: [] });
}

/** The webinar's host: a member of staff, signed in (staff do not enter by link). */
async function host(room: string, name: string): Promise<{ peer: TestPeer; joined: Joined; heard: { event: string; data: unknown }[] }> {
  const seat = await seatFor(stack, room, 'host', { kind: 'webinar', displayName: name });
  const peer = await connectPeer(stack, seat.peerOptions);
  const heard: { event: string; data: unknown }[] = [];
  peer.socket.onAny((event: string, data: unknown) => heard.push({ event, data }));
  const joined = ok(await peer.request<Joined>('join', seat.join));
  return { peer, joined, heard };
}

describe('webinar: attendees know each other only as «Участник N»', () => {
  const room = 'webinar-names';
  const names = ['Анна Смирнова', 'Борис Кузнецов', 'Вера Попова'] as const;
  let a1: Ear;
  let a2: Ear;
  let a3: Ear;
  let lead: Awaited<ReturnType<typeof host>>;
  const ears = () => [a1, a2, a3];
  /** a2 was given the floor with its name shown: these events may name it, to the others, and nothing else. */
  const namedFloor = (e: { event: string; data: unknown }) =>
    (e.event === 'peerUpdated' || e.event === 'peerJoined') &&
    (e.data as PeerInfo).id === a2.id &&
    (e.data as PeerInfo).floor !== 'none' &&
    (e.data as PeerInfo).label === names[1];

  beforeAll(async () => {
    a1 = await attendee(room, names[0]); // the consultation is made with the first link
    lead = await host(room, 'Ирина Соколова');
    a2 = await attendee(room, names[1]);
    a3 = await attendee(room, names[2]);
  });
  afterAll(() => {
    for (const p of [a1, a2, a3, lead]) p?.peer.close();
  });

  it('numbers the attendees in order of entry; each sees its own name and number', () => {
    expect(ears().map((a) => a.joined.self.number)).toEqual([1, 2, 3]);
    expect(ears().map((a) => a.joined.self.label)).toEqual([...names]);
    expect(lead.joined.self.number).toBeNull();
  });

  it('chat, a question, a hand, the floor with and without the name: nothing names another attendee', async () => {
    const hostChat = lead.peer.next('chatMessage');
    ok(await a1.peer.request('sendChat', { text: 'Здравствуйте, у меня вопрос' }));
    expect(await hostChat).toMatchObject({ peerId: a1.id, label: names[0], number: 1 }); // hosts see names

    ok(await a2.peer.request('sendChat', { text: 'Как оформить пособие?', question: true }));
    const hostSeesHand = lead.peer.next('peerUpdated');
    ok(await a3.peer.request('raiseHand', { raised: true }));
    expect(await hostSeesHand).toMatchObject({ id: a3.id, label: names[2], hand: true });

    // The floor without the name: the others see «Участник 3».
    const a1SeesSpeaker = a1.peer.next('peerUpdated');
    ok(await lead.peer.request('grantFloor', { peerId: a3.id, camera: false }));
    expect(await a1SeesSpeaker).toMatchObject({ id: a3.id, label: '', number: 3, floor: 'mic' });
    ok(await a3.peer.request('sendChat', { text: 'Спасибо за слово' }));
    const a1LosesSpeaker = a1.peer.next('peerLeft');
    ok(await lead.peer.request('revokeFloor', { peerId: a3.id }));
    await a1LosesSpeaker;

    // With the name (the host's choice): the others see it on the speaker, never in the chat.
    const a1SeesNamed = a1.peer.next('peerUpdated');
    ok(await lead.peer.request('grantFloor', { peerId: a2.id, camera: true, showName: true }));
    expect(await a1SeesNamed).toMatchObject({ id: a2.id, label: names[1], number: 2, floor: 'full' });
    const a3Reads = a3.peer.next('chatMessage');
    ok(await a2.peer.request('sendChat', { text: 'Говорю с именем' }));
    expect(await a3Reads).toMatchObject({ peerId: a2.id, label: '', number: 2 });
    const a1LosesNamed = a1.peer.next('peerLeft');
    ok(await lead.peer.request('revokeFloor', { peerId: a2.id }));
    await a1LosesNamed;

    // Given the floor again without the flag, the name is gone again.
    const a1SeesAgain = a1.peer.next('peerUpdated');
    ok(await lead.peer.request('grantFloor', { peerId: a2.id, camera: false }));
    expect(await a1SeesAgain).toMatchObject({ id: a2.id, label: '', number: 2 });
    ok(await lead.peer.request('revokeFloor', { peerId: a2.id }));
  });

  it('the name flag is checked: by the schema, and only a host gives it', async () => {
    expect(errorCode(await lead.peer.request('grantFloor', { peerId: a1.id, camera: false, showName: 'yes' }))).toBe('bad_request');
    expect(errorCode(await a1.peer.request('grantFloor', { peerId: a2.id, camera: false, showName: true }))).toBe('forbidden');
  });

  it('a reconnect within the grace and a return after it keep the number; the history is told without names', async () => {
    const away = lead.peer.next('peerUpdated');
    a1.peer.close();
    expect(await away).toMatchObject({ id: a1.id, away: true });
    a1 = await listen(a1); // the same link, the same record of what it heard
    expect(a1.joined.self).toMatchObject({ id: a1.id, number: 1, label: names[0] });
    const history = a1.joined.chat;
    expect(history.map((m) => [m.number, m.label])).toEqual([
      [1, names[0]], // its own line keeps its name
      [2, ''],
      [3, ''],
      [2, ''],
    ]);

    // Gone for longer than the grace: a later return is still «Участник 1», a newcomer is 4.
    const left = lead.peer.next('peerLeft', 4 * TEST_RESUME_GRACE_MS);
    a1.peer.close();
    await left;
    await pause(TEST_RESUME_GRACE_MS + 200);
    a1 = await listen(a1);
    expect(a1.joined.self.number).toBe(1);
    const a4 = await attendee(room, 'Галина Орлова');
    expect(a4.joined.self.number).toBe(4);
    ok(await a4.peer.request('sendChat', { text: 'Я опоздала' }));
    await waitFor(async () => a1.heard.some((e) => e.event === 'chatMessage' && (e.data as ChatMessage).peerId === a4.id));
    a4.peer.close();
  });

  it('no attendee socket ever carried another attendee’s name, except the named speaker’s own updates', () => {
    const all = [...names, 'Галина Орлова'];
    for (const ear of ears()) {
      const others = all.filter((n) => n !== ear.name);
      expect(ear.heard.length).toBeGreaterThan(10);
      const leaks = ear.heard.filter((e) => !namedFloor(e) && others.some((n) => JSON.stringify(e.data).includes(n)));
      expect([ear.name, leaks]).toEqual([ear.name, []]);
      // The named floor did reach the others (the flag works), and only as the speaker's state.
      if (ear !== a2) expect(ear.heard.some(namedFloor)).toBe(true);
    }
    // Hosts see every name.
    const hostHeard = JSON.stringify(lead.heard);
    for (const n of all) expect(hostHeard).toContain(n);
  });

  it('the registry of numbers holds under parallel first entries (one number each, no gaps)', async () => {
    const prisma = stack.signalling.prisma;
    await tokenFor(stack, 'webinar-race', 'attendee', { kind: 'webinar' });
    const c = roomId('webinar-race');
    const created = await Promise.all(
      Array.from({ length: 8 }, () => prisma.participant.create({ data: { consultationId: c, role: 'attendee' } })),
    );
    const records = prismaRoomRecords(prisma, c);
    const numbers = await Promise.all(created.map((p) => records.attendeeNumber(p.id)));
    expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await Promise.all(created.map((p) => records.attendeeNumber(p.id)))).toEqual(numbers);
  });
});
