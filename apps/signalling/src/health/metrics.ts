// Prometheus text at GET /metrics (prom-client): the dashboard's node, worker and room
// figures, so an institution's existing monitoring can scrape them. Figures and ids only.
// With METRICS_TOKEN set a scraper sends `Authorization: Bearer <token>`; without it only
// this machine (loopback) may read them.
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
  const participants = gauge('room_participants', 'Participants in a room', ['room', 'kind']);
  const score = gauge('room_quality_score', "A room's quality score, 0–5 (its weakest participant)", ['room']);
  const loss = gauge('room_loss_percent', "A room's worst participant packet loss, %", ['room']);
  const rtt = gauge('room_rtt_ms', "A room's worst participant round-trip time, ms", ['room']);
  const bitrate = gauge('room_bitrate_bps', 'Bits per second a room sends and receives through the SFU', ['room']);
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
        score,
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
      for (const r of snapshot.rooms) {
        rooms.inc({ kind: r.kind, phase: r.phase });
        participants.set({ room: r.roomId, kind: r.kind }, r.participants.length);
        score.set({ room: r.roomId }, r.score);
        loss.set({ room: r.roomId }, Math.max(0, ...r.participants.map((p) => p.lossPercent)));
        rtt.set({ room: r.roomId }, Math.max(0, ...r.participants.map((p) => p.rttMs)));
        bitrate.set(
          { room: r.roomId },
          r.participants.reduce((a, p) => a + p.sendBitrate + p.recvBitrate, 0),
        );
      }
      for (const a of snapshot.alerts) alerts.inc({ kind: a.kind, severity: a.severity });
    },
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The /metrics handler: bearer token when configured, else loopback only. */
export function metricsHandler(registry: Registry, token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return async (req: Request, res: Response): Promise<void> => {
    if (expected) {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        res.status(401).type('text/plain').send('metrics need Authorization: Bearer <METRICS_TOKEN>\n');
        return;
      }
    } else if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      res.status(403).type('text/plain').send('set METRICS_TOKEN to scrape metrics from another machine\n');
      return;
    }
    res.type(registry.contentType).send(await registry.metrics());
  };
}
