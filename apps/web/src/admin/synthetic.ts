import {
  HEALTH_HISTORY_MS,
  HEALTH_INTERVAL_MS,
  type HealthAlert,
  type HealthSnapshot,
  type IcePath,
  type ParticipantHealth,
  type RoomHealth,
  type RoomKind,
  type RoomPhase,
  type RoomRole,
  type ReceivedVideo,
  type RoomSeries,
  type SeriesPoint,
} from '@dp/protocol';
import { cameraLayerBitrate, cameraLayerSize } from './layer-reason.ts';
import { CAMERA_ENCODINGS } from '../media/constraints.ts';

const CAMERA_LAYERS = CAMERA_ENCODINGS.length;

// A made-up but plausible dashboard snapshot of N rooms, for the dev route `/dev/health`
// and for tests: deterministic (the same `rooms` and `tick` give the same snapshot), with a
// few rooms in trouble so every alert kind, score colour and a hot worker show up. `tick`
// advances the clock by one HEALTH_INTERVAL_MS, as the server's pushes do.

/** The synthetic clock's origin: a Monday morning in Moscow (07:00 UTC = 10:00 MSK). */
export const SYNTHETIC_START_MS = Date.UTC(2026, 2, 16, 7, 0, 0);

const INSTITUTIONS = [
  'КЦСОН «Надежда»',
  'Центр помощи семье и детям «Радуга»',
  'Социально-реабилитационный центр «Доверие»',
  'ЦСО граждан пожилого возраста и инвалидов',
  'Областной кризисный центр для женщин',
  'Комплексный центр социального обслуживания г. Великие Луки',
  'Центр социальной адаптации «Шаг навстречу»',
];
const SPECIALISTS = [
  'Соколова Ирина Викторовна',
  'Петров Андрей Николаевич',
  'Кузнецова Мария Сергеевна',
  'Волкова Наталья Петровна',
  'Смирнов Олег Игоревич',
  'Морозова Елена Александровна',
  'Лебедева Татьяна Юрьевна',
  'Новиков Дмитрий Валерьевич',
  '',
];
const NODES = ['sfu-1.priemnaya.local', 'sfu-2.priemnaya.local'];
const WORKERS_PER_NODE = 4;
const PIDS = NODES.flatMap((_, n) => Array.from({ length: WORKERS_PER_NODE }, (_, w) => 4100 + n * 1000 + w + 1));

/** mulberry32: a tiny seeded PRNG, [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const mix = (...parts: number[]) => parts.reduce((h, p) => Math.imul(h ^ (p >>> 0), 0x9e3779b1) ^ (h >>> 13), 0x811c9dc5) >>> 0;
const between = (r: () => number, lo: number, hi: number) => lo + (hi - lo) * r();
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The synthetic room `i` (0-based): a hex id ending in its 1-based number, `r3f9c2a1e-0004`. */
export const syntheticRoomId = (i: number) => `r${mix(i, 7).toString(16).padStart(8, '0')}-${pad(i + 1, 4)}`;
const peerId = (room: number, p: number) => `p${mix(room, p, 11).toString(16).padStart(8, '0')}`;

/** The room's fixed traits (they do not change from tick to tick). */
interface RoomPlan {
  index: number;
  kind: RoomKind;
  institution: number;
  specialist: string;
  phase: RoomPhase;
  /** Minutes the room has been open at tick 0. */
  openedMin: number;
  timetabled: boolean;
  roles: RoomRole[];
  /** Per participant: 0 good, 1 fair, 2 bad link. */
  links: number[];
  paths: IcePath[];
  browser: boolean[];
  precheckFailed: boolean;
}

function plan(index: number): RoomPlan {
  const r = rng(mix(index, 1));
  const k = r();
  const kind: RoomKind = k < 0.7 ? 'one_to_one' : k < 0.88 ? 'dyad' : 'webinar';
  const p = r();
  const phase: RoomPhase = p < 0.08 ? 'precheck' : p < 0.2 ? 'waiting' : p < 0.93 ? 'live' : 'closing';
  const roles: RoomRole[] =
    phase === 'precheck'
      ? ['client']
      : phase === 'waiting'
        ? [kind === 'webinar' ? 'host' : 'specialist']
        : kind === 'one_to_one'
          ? ['specialist', 'client']
          : kind === 'dyad'
            ? ['specialist', 'client', 'client', ...(r() < 0.3 ? (['curator'] as const) : [])]
            : ['host', 'cohost', ...Array.from({ length: 4 + Math.floor(r() * 22) }, () => 'attendee' as const)];
  // Every 25th room (3, 28, …) has a client on a weak rural 3G link, so the detail always has one to show.
  const rural = index % 25 === 2;
  const links = roles.map((role) => {
    const q = r();
    return q < 0.02 || (rural && role === 'client') ? 2 : q < 0.14 ? 1 : 0;
  });
  const paths = roles.map((): IcePath => {
    const q = r();
    return q < 0.78 ? 'udp' : q < 0.88 ? 'tcp' : q < 0.98 ? 'relay' : 'unknown';
  });
  const openedMin = phase === 'closing' ? 55 + r() * 6 : phase === 'precheck' || phase === 'waiting' ? r() * 8 : 2 + r() * 55;
  return {
    index,
    kind,
    institution: Math.floor(r() * INSTITUTIONS.length),
    specialist: SPECIALISTS[Math.floor(r() * SPECIALISTS.length)] ?? '',
    phase,
    openedMin,
    timetabled: r() > 0.04,
    roles,
    links,
    paths,
    browser: roles.map(() => r() > 0.1),
    precheckFailed: phase === 'precheck' && r() < 0.5,
  };
}

/** One participant's figures at a moment (`slot`: the 2-second step since the origin). */
type Figures = Omit<ParticipantHealth, 'peerId' | 'role' | 'browserReport' | 'videoIn'>;

function figures(room: RoomPlan, p: number, slot: number): Figures {
  const r = rng(mix(room.index, p, slot, 3));
  const link = room.links[p] ?? 0;
  const role = room.roles[p];
  const wave = Math.sin((slot + room.index * 7 + p * 3) / 9);
  const lossPercent = round(
    Math.max(0, link === 0 ? between(r, 0, 0.8) : link === 1 ? between(r, 1.5, 4.5) : between(r, 6, 18) + 4 * wave),
  );
  const rttMs = Math.round(
    (link === 0 ? between(r, 18, 70) : link === 1 ? between(r, 120, 260) : between(r, 380, 900)) + (room.paths[p] === 'relay' ? 40 : 0),
  );
  const jitterMs = round(link === 0 ? between(r, 1, 8) : link === 1 ? between(r, 10, 25) : between(r, 30, 80));
  const silentAttendee = role === 'attendee';
  const video = silentAttendee ? 0 : link === 2 ? between(r, 150_000, 400_000) : between(r, 700_000, 1_400_000) * (1 + 0.1 * wave);
  const sendBitrate = Math.round(video + (silentAttendee ? 0 : between(r, 28_000, 40_000)));
  const senders = room.roles.filter((x, i) => i !== p && x !== 'attendee').length;
  const recvBitrate = Math.round(senders * between(r, 500_000, 1_200_000) * (link === 2 ? 0.35 : 1));
  // The SFU's estimate towards it and its own uplink's, by its link; the layer it gets follows the estimate.
  const recvEstimate = Math.round(
    link === 0 ? between(r, 900_000, 2_000_000) : link === 1 ? between(r, 170_000, 420_000) : between(r, 30_000, 160_000),
  );
  const sendEstimate = Math.round(
    link === 0 ? between(r, 1_000_000, 2_500_000) : link === 1 ? between(r, 180_000, 450_000) : between(r, 40_000, 140_000),
  );
  const spatialLayer = senders === 0 ? null : layerFor(recvEstimate);
  const { width: w, height: h } = spatialLayer === null ? { width: 0, height: 0 } : cameraLayerSize(spatialLayer, LAYERS);
  const fps = spatialLayer === null ? 0 : Math.round(link === 2 ? between(r, 6, 14) : between(r, 24, 30));
  const disconnected = link === 2 && (slot + p) % 11 < 3;
  const iceState = disconnected ? 'disconnected' : 'connected';
  let score = 5 - Math.min(3, lossPercent / 4) - Math.min(1.5, Math.max(0, rttMs - 150) / 400) - Math.min(0.5, jitterMs / 100);
  if (disconnected) score = Math.min(score, 1);
  const base = Math.abs(slot) * 17 + p * 5 + room.index;
  return {
    sendBitrate,
    recvBitrate,
    lossPercent,
    rttMs,
    jitterMs,
    nackCount: Math.floor(base * (link + 0.2)),
    pliCount: Math.floor((base * (link + 0.1)) / 20),
    firCount: link === 2 ? Math.floor(base / 300) : 0,
    fps,
    frameWidth: w,
    frameHeight: h,
    spatialLayer,
    iceState,
    path: room.paths[p] ?? 'udp',
    relayProtocol: room.paths[p] === 'relay' ? ((['udp', 'tcp', 'tls'] as const)[(room.index + p) % 3] ?? 'udp') : null,
    recvEstimate,
    sendEstimate: room.browser[p] === false ? null : sendEstimate,
    sendLimitation: room.browser[p] === false ? null : link === 0 ? 'none' : 'bandwidth',
    // Half-point steps: the server's score is coarse too, so most rows do not change every tick.
    score: Math.max(0, Math.min(5, Math.round(score * 2) / 2)),
  };
}

/** The camera's simulcast layers (320×180, 640×360; constraints.ts) and what each needs, bit/s. */
const LAYERS = CAMERA_LAYERS;
const LAYER_NEEDS = Array.from({ length: LAYERS }, (_, i) => cameraLayerBitrate(i, LAYERS) ?? 150_000 * 4 ** i);
function layerFor(estimate: number): number | null {
  const fits = LAYER_NEEDS.filter((need) => need <= estimate).length;
  return fits === 0 ? null : fits - 1;
}

/** What `p` receives of every other participant's camera (and the specialist's screen in some rooms). */
function videoIn(room: RoomPlan, p: number, all: Figures[]): ReceivedVideo[] {
  const mine = all[p];
  if (!mine) return [];
  const videos: ReceivedVideo[] = [];
  room.roles.forEach((role, q) => {
    if (q === p || role === 'attendee') return;
    const link = room.links[q] ?? 0;
    const senderLayers = link === 0 ? 3 : link === 1 ? 2 : 1;
    const fits = layerFor(mine.recvEstimate ?? 0);
    const id = `${peerId(room.index, p)}-${q}`;
    const common = { fromPeerId: peerId(room.index, q), fromRole: role, producerPaused: false, lossPercent: mine.lossPercent };
    videos.push({
      consumerId: `c${id}`,
      source: 'camera',
      // An attendee of a webinar on a weak link listens only («Только звук»).
      paused: room.roles[p] === 'attendee' && (room.links[p] ?? 0) === 2,
      spatialLayer: fits === null ? null : Math.min(fits, senderLayers - 1),
      temporalLayer: fits === null ? null : 0,
      layerCount: LAYERS,
      preferredSpatialLayer: LAYERS - 1,
      senderLayers,
      bitrate: fits === null ? 0 : Math.min(LAYER_NEEDS[Math.min(fits, senderLayers - 1)] ?? 0, mine.recvEstimate ?? 0),
      score: Math.max(0, 10 - Math.round(mine.lossPercent)),
      ...common,
    });
    if (role === 'specialist' && room.index % 4 === 1)
      videos.push({
        consumerId: `s${id}`,
        source: 'screen',
        paused: false,
        spatialLayer: null,
        temporalLayer: null,
        layerCount: 1,
        preferredSpatialLayer: null,
        senderLayers: 1,
        bitrate: 250_000,
        score: 10,
        ...common,
      });
  });
  return videos;
}

/** The browser shows the best camera layer it gets: its figures follow what the SFU forwards. */
function withShown(f: Figures, videos: ReceivedVideo[]): Figures & { videoIn: ReceivedVideo[] } {
  const layers = videos.filter((v) => v.source === 'camera' && !v.paused && v.spatialLayer !== null).map((v) => v.spatialLayer ?? 0);
  if (layers.length === 0) return { ...f, spatialLayer: null, fps: 0, frameWidth: 0, frameHeight: 0, videoIn: videos };
  const spatialLayer = Math.max(...layers);
  const { width, height } = cameraLayerSize(spatialLayer, LAYERS);
  return {
    ...f,
    spatialLayer,
    frameWidth: width,
    frameHeight: height,
    fps: spatialLayer === 0 ? Math.min(f.fps, 15) : f.fps,
    videoIn: videos,
  };
}

function roomAt(room: RoomPlan, tick: number): RoomHealth {
  const all = room.roles.map((_, p) => figures(room, p, tick));
  const participants: ParticipantHealth[] = room.roles.map((role, p) => ({
    peerId: peerId(room.index, p),
    role,
    browserReport: room.browser[p] ?? true,
    ...withShown(all[p] as Figures, videoIn(room, p, all)),
  }));
  const elapsed = room.openedMin + (tick * HEALTH_INTERVAL_MS) / 60_000;
  const minutesLeft = room.timetabled ? round(60 - elapsed, 2) : null;
  const at = SYNTHETIC_START_MS + tick * HEALTH_INTERVAL_MS;
  return {
    roomId: syntheticRoomId(room.index),
    kind: room.kind,
    institutionId: `inst-${room.institution + 1}`,
    institution: INSTITUTIONS[room.institution] ?? '',
    specialist: room.specialist,
    phase: room.phase,
    endsAt: minutesLeft === null ? null : new Date(at + minutesLeft * 60_000).toISOString(),
    minutesLeft,
    workerPid: PIDS[room.index % PIDS.length] ?? null,
    participants,
    score: participants.reduce((m, x) => Math.min(m, x.score), 5),
  };
}

function alertsOf(rooms: RoomHealth[], plans: RoomPlan[], workers: { pid: number; cpuPercent: number }[]): HealthAlert[] {
  const alerts: HealthAlert[] = [];
  const since = (id: string) => new Date(SYNTHETIC_START_MS - (mix(...Array.from(id, (c) => c.charCodeAt(0))) % 600) * 1000).toISOString();
  const push = (a: Omit<HealthAlert, 'since'>) => alerts.push({ ...a, since: since(a.id) });
  for (const w of workers) {
    if (w.cpuPercent > 80)
      push({
        id: `worker_cpu:${w.pid}`,
        kind: 'worker_cpu',
        severity: w.cpuPercent > 95 ? 'critical' : 'warning',
        roomId: null,
        peerId: null,
        workerPid: w.pid,
        value: round(w.cpuPercent),
      });
  }
  rooms.forEach((room, i) => {
    const plan = plans[i];
    if (room.minutesLeft !== null && room.minutesLeft <= 5 && room.phase === 'live')
      push({
        id: `time_limit:${room.roomId}`,
        kind: 'time_limit',
        severity: room.minutesLeft <= 1 ? 'critical' : 'warning',
        roomId: room.roomId,
        peerId: null,
        workerPid: null,
        value: Math.max(0, Math.floor(room.minutesLeft)),
      });
    if (plan?.precheckFailed)
      push({
        id: `precheck_failed:${room.roomId}`,
        kind: 'precheck_failed',
        severity: 'warning',
        roomId: room.roomId,
        peerId: room.participants[0]?.peerId ?? null,
        workerPid: null,
        value: null,
      });
    for (const p of room.participants) {
      const base = { roomId: room.roomId, peerId: p.peerId, workerPid: null };
      if (p.iceState === 'disconnected')
        push({ id: `ice_disconnected:${p.peerId}`, kind: 'ice_disconnected', severity: 'critical', value: null, ...base });
      if (p.lossPercent > 5)
        push({
          id: `loss:${p.peerId}`,
          kind: 'loss',
          severity: p.lossPercent > 12 ? 'critical' : 'warning',
          value: p.lossPercent,
          ...base,
        });
      if (p.rttMs > 400)
        push({ id: `rtt:${p.peerId}`, kind: 'rtt', severity: p.rttMs > 800 ? 'critical' : 'warning', value: p.rttMs, ...base });
    }
  });
  return alerts;
}

/** A dashboard snapshot of `rooms` open rooms, `tick` pushes after the synthetic origin. */
export function syntheticSnapshot(rooms: number, tick = 0): HealthSnapshot {
  const count = Math.max(0, Math.min(2000, Math.floor(rooms)));
  const plans = Array.from({ length: count }, (_, i) => plan(i));
  const list = plans.map((p) => roomAt(p, tick));
  const workers = PIDS.map((pid, w) => {
    const mine = list.filter((_, i) => i % PIDS.length === w);
    const peers = mine.reduce((s, r) => s + r.participants.length, 0);
    const consumers = mine.reduce((s, r) => s + r.participants.length * Math.max(0, r.participants.length - 1), 0);
    const r = rng(mix(pid, tick, 5));
    // The third worker of the first node runs hot: the highlight and the alert have something to show.
    const cpuPercent = round(
      w === 2 ? 82 + 8 * Math.sin(tick / 5) + between(r, 0, 6) : Math.min(75, 6 + consumers * 0.25 + between(r, 0, 8)),
    );
    return {
      pid,
      cpuPercent,
      memoryBytes: Math.round((60 + peers * 1.6 + w * 3) * 1024 * 1024),
      routers: mine.length,
      transports: peers * 2,
      producers: mine.reduce((s, r) => s + r.participants.filter((p) => p.role !== 'attendee').length * 2, 0),
      consumers: consumers * 2,
    };
  });
  const nodes = NODES.map((nodeId, n) => {
    const r = rng(mix(n, tick, 9));
    return {
      nodeId,
      process: { cpuPercent: round(between(r, 8, 24)), memoryBytes: Math.round((140 + n * 25 + between(r, 0, 10)) * 1024 * 1024) },
      workers: workers.slice(n * WORKERS_PER_NODE, (n + 1) * WORKERS_PER_NODE),
    };
  });
  const sockets = list.reduce((s, r) => s + r.participants.length, 0);
  return {
    at: new Date(SYNTHETIC_START_MS + tick * HEALTH_INTERVAL_MS).toISOString(),
    nodes,
    signalling: [
      { instanceId: 'signalling-a', sockets: Math.ceil(sockets / 2) + 1, rooms: Math.ceil(count / 2) },
      { instanceId: 'signalling-b', sockets: Math.floor(sockets / 2), rooms: Math.floor(count / 2) },
    ],
    rooms: list,
    alerts: alertsOf(list, plans, workers),
  };
}

/**
 * The charts of one synthetic room at `tick`: a point per push over the last 10 minutes
 * (or since the room opened). The same instant always has the same figures.
 */
export function syntheticSeries(roomId: string, tick = 0): RoomSeries | null {
  const m = /^r[0-9a-f]{8}-(\d{4})$/.exec(roomId);
  if (!m) return null;
  const room = plan(Number(m[1]) - 1);
  const now = SYNTHETIC_START_MS + tick * HEALTH_INTERVAL_MS;
  const opened = now - (room.openedMin + (tick * HEALTH_INTERVAL_MS) / 60_000) * 60_000;
  const from = Math.max(opened, now - HEALTH_HISTORY_MS);
  const slots: number[] = [];
  for (let t = now, s = tick; t >= from; t -= HEALTH_INTERVAL_MS, s -= 1) slots.unshift(s);
  const roomPoints: SeriesPoint[] = [];
  const participants: Record<string, SeriesPoint[]> = {};
  const ids = room.roles.map((_, p) => peerId(room.index, p));
  for (const id of ids) participants[id] = [];
  for (const s of slots) {
    const t = SYNTHETIC_START_MS + s * HEALTH_INTERVAL_MS;
    let bitrate = 0;
    let loss = 0;
    let rtt = 0;
    room.roles.forEach((_, p) => {
      const f = figures(room, p, s);
      bitrate += f.sendBitrate;
      loss = Math.max(loss, f.lossPercent);
      rtt = Math.max(rtt, f.rttMs);
      participants[ids[p] ?? '']?.push({ t, bitrate: f.sendBitrate + f.recvBitrate, lossPercent: f.lossPercent, rttMs: f.rttMs });
    });
    roomPoints.push({ t, bitrate, lossPercent: loss, rttMs: rtt });
  }
  return { roomId, room: roomPoints, participants };
}
