// Prometheus text at GET /metrics (prom-client): the dashboard's node, worker and room
// figures, so an institution's existing monitoring can scrape them. Figures only.
// With METRICS_TOKEN set a scraper sends `Authorization: Bearer <token>`; without it only
// this machine may read them (decided by the client address under TRUST_PROXY, not by the
// socket: nginx on this machine proxies everyone from 127.0.0.1). Labels never carry a room
// (consultation) id or anything else that points at a family: rooms are summed up.
import { timingSafeEqual } from 'node:crypto';
import type { HealthSnapshot, SfuNodeStats } from '@dp/protocol';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export function createMetrics(): { registry: Registry; update(snapshot: HealthSnapshot, sfu: SfuNodeStats | null): void } {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'distpriem_signalling' });
  collectDefaultMetrics({ register: registry, prefix: 'distpriem_signalling_' });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `distpriem_${name}`, help, labelNames, registers: [registry] });

  const workerCpu = gauge('sfu_worker_cpu_percent', 'mediasoup worker CPU, % of one core', ['node', 'pid']);
  const workerMemory = gauge('sfu_worker_memory_bytes', 'mediasoup worker peak resident memory (ru_maxrss)', ['node', 'pid']);
  const workerObjects = gauge('sfu_worker_objects', 'mediasoup objects on a worker', ['node', 'pid', 'type']);
  const sfuCpu = gauge('sfu_process_cpu_percent', "The SFU's Node.js process CPU, % of one core", ['node']);
  const sfuMemory = gauge('sfu_process_memory_bytes', "The SFU's Node.js process resident memory", ['node']);
  const sockets = gauge('signalling_sockets', 'socket.io connections of a signalling instance', ['instance']);
  const rooms = gauge('rooms_open', 'Open rooms by kind and phase', ['kind', 'phase']);
  // No per-room series: a room id is a consultation id, and a consultation points at a family.
  // Rooms are summed up by kind, role and quality band instead.
  const participants = gauge('room_participants', 'Participants in open rooms, by room kind and role', ['kind', 'role']);
  const quality = gauge('rooms_by_quality', "Open rooms by quality score band (0–5, the room's weakest participant; 4 = 4.0–4.99)", [
    'score',
  ]);
  const loss = gauge('rooms_worst_loss_percent', 'The worst participant packet loss over all open rooms, %');
  const rtt = gauge('rooms_worst_rtt_ms', 'The worst participant round-trip time over all open rooms, ms');
  const bitrate = gauge('rooms_bitrate_bps', 'Bits per second all open rooms send and receive through the SFU');
  const alerts = gauge('alerts_active', 'Active dashboard alerts by kind and severity', ['kind', 'severity']);

  return {
    registry,
    update(snapshot, sfu) {
      for (const g of [
        workerCpu,
        workerMemory,
        workerObjects,
        sfuCpu,
        sfuMemory,
        sockets,
        rooms,
        participants,
        quality,
        loss,
        rtt,
        bitrate,
        alerts,
      ]) {
        g.reset(); // closed rooms and replaced workers must not linger as stale series
      }
      if (sfu) {
        sfuCpu.set({ node: sfu.nodeId }, sfu.process.cpuPercent);
        sfuMemory.set({ node: sfu.nodeId }, sfu.process.memoryBytes);
        for (const w of sfu.workers) {
          const l = { node: sfu.nodeId, pid: String(w.pid) };
          workerCpu.set(l, w.cpuPercent);
          workerMemory.set(l, w.memoryBytes);
          for (const type of ['routers', 'transports', 'producers', 'consumers'] as const) workerObjects.set({ ...l, type }, w[type]);
        }
      }
      for (const s of snapshot.signalling) sockets.set({ instance: s.instanceId }, s.sockets);
      let worstLoss = 0;
      let worstRtt = 0;
      let bits = 0;
      for (const r of snapshot.rooms) {
        rooms.inc({ kind: r.kind, phase: r.phase });
        quality.inc({ score: String(Math.min(5, Math.max(0, Math.floor(r.score)))) });
        for (const p of r.participants) {
          participants.inc({ kind: r.kind, role: p.role });
          worstLoss = Math.max(worstLoss, p.lossPercent);
          worstRtt = Math.max(worstRtt, p.rttMs);
          bits += p.sendBitrate + p.recvBitrate;
        }
      }
      loss.set(worstLoss);
      rtt.set(worstRtt);
      bitrate.set(bits);
      for (const a of snapshot.alerts) alerts.inc({ kind: a.kind, severity: a.severity });
    },
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * A request from this machine itself. `req.ip` is the client as express sees it under
 * TRUST_PROXY: behind the shipped nginx (which connects from 127.0.0.1 and appends the real
 * client to X-Forwarded-For) it is the outside address, not nginx's. The socket address alone
 * would make every proxied request local. Belt and braces for a proxy that TRUST_PROXY does not
 * name: every address the request says it was forwarded for must be local too.
 */
export function isLocalRequest(req: Request): boolean {
  if (!LOOPBACK.has(req.ip ?? '')) return false;
  if (req.headers.forwarded) return false; // RFC 7239: express does not read it, so nothing here vouches for it
  const forwardedFor = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '')).split(',').map((a) => a.trim());
  return chain.every((a) => a === '' || LOOPBACK.has(a));
}

/** The /metrics handler: bearer token when configured, else this machine only. */
export function metricsHandler(registry: Registry, token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return async (req: Request, res: Response): Promise<void> => {
    if (expected) {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        res.status(401).type('text/plain').send('metrics need Authorization: Bearer <METRICS_TOKEN>\n');
        return;
      }
    } else if (!isLocalRequest(req)) {
      res.status(403).type('text/plain').send('set METRICS_TOKEN to scrape metrics from another machine\n');
      return;
    }
    res
      .set('Cache-Control', 'no-store')
      .type(registry.contentType)
      .send(await registry.metrics());
  };
}
