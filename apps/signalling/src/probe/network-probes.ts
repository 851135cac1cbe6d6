// The device check's network test, signalling side (protocol: packages/protocol/src/network-test.ts).
// A probe is a router of its own on the SFU with one send and one receive transport for one
// page: the page sends a test video, receives it back and measures. Nobody else is in it.
//
// Limits, in three layers: a probe lives NETWORK_TEST.lifetimeMs at most (a timer here, and
// the SFU closes its router by itself too, in case this process dies); a link may have
// NETWORK_TEST.maxConcurrentPerLink probes open at once (counted here and refused by the SFU
// as well); and it may start NETWORK_TEST.maxPerWindow probes per rateWindowS (a page stuck
// in a loop must not keep a worker busy).
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@dp/db';
import {
  isLead,
  NETWORK_TEST,
  networkVerdict,
  ProtocolError,
  type NetworkFigures,
  type ProbeServerStats,
  type RequestPayload,
  type RequestResult,
} from '@dp/protocol';
import { hardLimit } from '@dp/scheduling';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { LinkClaims } from '../links/link-token.ts';
import type { SfuClient } from '../sfu/sfu-client.ts';

/** One page's probe. */
export interface Probe {
  id: string;
  claims: LinkClaims;
  sendTransportId: string;
  recvTransportId: string;
  producerId: string | null;
  /** The router is gone (finished, closed by time, or the socket left). */
  closed: boolean;
  finished: boolean;
  timer: NodeJS.Timeout;
  /** Frees its place in the per-link count. */
  release: () => void;
}

/** The one test peer of a probe router (the router has no other). */
const PROBE_PEER = 'probe';

export interface NetworkProbesOptions {
  lifetimeMs?: number;
  now?: () => Date;
}

export class NetworkProbes {
  private readonly sfu: SfuClient;
  private readonly prisma: PrismaClient;
  private readonly log: Logger;
  /** How long a probe lives (NETWORK_TEST.lifetimeMs; tests shorten it). */
  lifetimeMs: number;
  private readonly now: () => Date;
  /** Open probes by participant: the per-link limit. */
  private readonly open = new Map<string, Set<string>>();
  private readonly starts = new RateLimiterMemory({ points: NETWORK_TEST.maxPerWindow, duration: NETWORK_TEST.rateWindowS });

  constructor(sfu: SfuClient, prisma: PrismaClient, log: Logger, opts: NetworkProbesOptions = {}) {
    this.sfu = sfu;
    this.prisma = prisma;
    this.log = log;
    this.lifetimeMs = opts.lifetimeMs ?? NETWORK_TEST.lifetimeMs;
    this.now = opts.now ?? (() => new Date());
  }

  /** Probes open now (tests, metrics). */
  get openCount(): number {
    let n = 0;
    for (const s of this.open.values()) n += s.size;
    return n;
  }

  /**
   * Opens a probe for a link whose claims are verified (signature, expiry, the matrix). The
   * link must still be valid in the database: its participant known and not revoked, the
   * consultation neither cancelled nor over — but it need not be open yet: the link page
   * offers the check during the countdown.
   */
  async start(
    claims: LinkClaims,
    req: Pick<RequestPayload<'networkTestStart'>, 'forceTcp'>,
  ): Promise<{ probe: Probe; result: RequestResult<'networkTestStart'> }> {
    await this.assertLinkUsable(claims);
    const mine = this.open.get(claims.participantId) ?? new Set<string>();
    if (mine.size >= NETWORK_TEST.maxConcurrentPerLink) throw new ProtocolError('rate_limited', 'too many network tests at once');
    await this.starts.consume(claims.participantId).catch(() => {
      throw new ProtocolError('rate_limited', 'too many network tests, try again later');
    });
    const id = randomUUID();
    mine.add(id);
    this.open.set(claims.participantId, mine);
    const release = () => {
      mine.delete(id);
      if (mine.size === 0 && this.open.get(claims.participantId) === mine) this.open.delete(claims.participantId);
    };
    try {
      // The SFU's own timer is a little longer: normally this side closes first and says why.
      const { rtpCapabilities } = await this.sfu.request('openProbe', {
        roomId: id,
        key: claims.participantId,
        lifetimeMs: this.lifetimeMs + 2_000,
      });
      const forceTcp = req.forceTcp ?? false;
      const [send, recv] = await Promise.all([
        this.sfu.request('createWebRtcTransport', { roomId: id, peerId: PROBE_PEER, direction: 'send', forceTcp }),
        this.sfu.request('createWebRtcTransport', { roomId: id, peerId: PROBE_PEER, direction: 'recv', forceTcp }),
      ]);
      const probe: Probe = {
        id,
        claims,
        sendTransportId: send.id,
        recvTransportId: recv.id,
        producerId: null,
        closed: false,
        finished: false,
        timer: setTimeout(() => void this.close(probe, 'time is up'), this.lifetimeMs),
        release,
      };
      probe.timer.unref();
      this.log.info({ probeId: id, consultationId: claims.consultationId }, 'network test opened');
      return {
        probe,
        result: {
          probeId: id,
          routerRtpCapabilities: rtpCapabilities,
          transports: { send, recv },
          targetBitrateKbps: NETWORK_TEST.targetBitrateKbps,
          sendMs: NETWORK_TEST.sendMs,
          closesInMs: this.lifetimeMs,
        },
      };
    } catch (e) {
      release();
      await this.sfu.request('closeRouter', { roomId: id }).catch(() => undefined);
      throw e;
    }
  }

  async connect(probe: Probe, transportId: string, dtlsParameters: RequestPayload<'networkTestConnect'>['dtlsParameters']): Promise<void> {
    this.assertOpen(probe);
    this.assertOwnTransport(probe, transportId);
    await this.sfu.request('connectTransport', { roomId: probe.id, peerId: PROBE_PEER, transportId, dtlsParameters });
  }

  /** The test producer, and its consumer on the receive transport, resumed (asks for a key frame). */
  async produce(
    probe: Probe,
    req: RequestPayload<'networkTestProduce'>,
    rtpCapabilities: RequestPayload<'networkTestStart'>['rtpCapabilities'],
  ): Promise<RequestResult<'networkTestProduce'>> {
    this.assertOpen(probe);
    if (req.transportId !== probe.sendTransportId) throw new ProtocolError('not_found', 'no such transport for this network test');
    if (probe.producerId) throw new ProtocolError('bad_request', 'the network test already sends');
    const peer = { roomId: probe.id, peerId: PROBE_PEER };
    const { producerId } = await this.sfu.request('produce', {
      ...peer,
      transportId: req.transportId,
      kind: 'video',
      rtpParameters: req.rtpParameters,
      source: 'camera',
    });
    probe.producerId = producerId;
    const consumer = await this.sfu.request('consume', {
      ...peer,
      transportId: probe.recvTransportId,
      producerId,
      rtpCapabilities,
    });
    await this.sfu.request('setConsumerPaused', { ...peer, consumerId: consumer.consumerId, paused: false });
    return { producerId, consumer: { consumerId: consumer.consumerId, producerId, rtpParameters: consumer.rtpParameters } };
  }

  async stats(probe: Probe): Promise<ProbeServerStats> {
    this.assertOpen(probe);
    return this.sfu.request('probeStats', { roomId: probe.id });
  }

  /**
   * The page's figures with the SFU's own loss figure (the worse of the two counts: the page
   * sees the way back, the SFU the way there), the verdict, the stored row; then the probe
   * closes. Works on a probe closed by time too (the page may have waited for ICE in vain).
   */
  async finish(probe: Probe, req: RequestPayload<'networkTestFinish'>): Promise<RequestResult<'networkTestFinish'>> {
    if (probe.finished) throw new ProtocolError('bad_request', 'this network test is already finished');
    probe.finished = true;
    let server: ProbeServerStats | null = null;
    if (!probe.closed && probe.producerId) server = await this.sfu.request('probeStats', { roomId: probe.id }).catch(() => null);
    await this.close(probe, 'finished');
    const figures = mergeFigures(req.figures, server);
    const verdict = networkVerdict(figures);
    const { consultationId, participantId } = probe.claims;
    await this.prisma.deviceCheck.create({
      data: {
        consultationId,
        participantId,
        verdict,
        camera: req.camera,
        microphone: req.microphone,
        rttMs: figures.rttMs,
        lossPct: figures.lossPct,
        bitrateKbps: figures.bitrateKbps,
        path: figures.path,
      },
    });
    // The specialist's check is also the consultation's equipment pre-check (the seed's
    // T−30 rule): passed when video will work with camera and microphone. The T−5 alert to
    // the head and the dashboard read these rows.
    if (isLead(probe.claims.role))
      await this.recordPrecheck(consultationId, participantId, verdict === 'video' && req.camera && req.microphone, figures);
    this.log.info({ probeId: probe.id, verdict, ...figures }, 'network test finished');
    return { verdict, figures };
  }

  private async recordPrecheck(consultationId: string, participantId: string, passed: boolean, figures: NetworkFigures): Promise<void> {
    const row = await this.prisma.participant.findUnique({
      where: { id: participantId },
      select: { staffUserId: true, consultation: { select: { specialists: { select: { specialistId: true }, take: 1 } } } },
    });
    // A staff participant's own account, else (a specialist's link without one) the consultation's specialist.
    const specialistId = row?.staffUserId ?? row?.consultation.specialists[0]?.specialistId;
    if (!specialistId) return;
    await this.prisma.precheckResult.create({
      data: {
        consultationId,
        specialistId,
        passed,
        rttMs: figures.rttMs,
        lossPct: figures.lossPct,
        bitrateKbps: figures.bitrateKbps,
        notes: `network test (${figures.path ?? 'no path'})`,
      },
    });
  }

  /** Closes the probe's router (idempotent). */
  async close(probe: Probe, why: string): Promise<void> {
    if (probe.closed) return;
    probe.closed = true;
    clearTimeout(probe.timer);
    probe.release();
    this.log.debug({ probeId: probe.id, why }, 'network test closed');
    await this.sfu.request('closeRouter', { roomId: probe.id }).catch((e: Error) => {
      this.log.warn({ probeId: probe.id, err: e.message }, 'could not close a network test (the SFU closes it by time)');
    });
  }

  private assertOpen(probe: Probe): void {
    if (probe.closed) throw new ProtocolError('room_closed', 'the network test is over');
  }

  private assertOwnTransport(probe: Probe, transportId: string): void {
    if (transportId !== probe.sendTransportId && transportId !== probe.recvTransportId) {
      throw new ProtocolError('not_found', 'no such transport for this network test');
    }
  }

  private async assertLinkUsable(claims: LinkClaims): Promise<void> {
    const participant = await this.prisma.participant.findFirst({
      where: { id: claims.participantId, consultationId: claims.consultationId },
      select: { role: true, linkRevokedAt: true, consultation: { select: { start: true, state: true } } },
    });
    if (!participant || participant.role !== claims.role) throw new ProtocolError('invalid_token', 'link is invalid or expired');
    if (participant.linkRevokedAt) throw new ProtocolError('link_revoked', 'this link was revoked');
    const { state, start } = participant.consultation;
    if (state === 'cancelled' || state === 'failed') throw new ProtocolError('cancelled', 'the consultation was cancelled');
    if (state === 'ended' || state === 'no_show' || hardLimit(start).getTime() <= this.now().getTime()) {
      throw new ProtocolError('consultation_over', 'the consultation is over');
    }
  }
}

/** The stored figures: the page's, with the SFU's loss when it saw more (either direction counts). */
export function mergeFigures(page: NetworkFigures, server: ProbeServerStats | null): NetworkFigures {
  const losses = [page.lossPct, server?.lossPct].filter((v): v is number => typeof v === 'number');
  const round1 = (v: number) => Math.round(v * 10) / 10;
  return {
    rttMs: page.rttMs,
    lossPct: losses.length ? round1(Math.max(...losses)) : null,
    bitrateKbps: page.bitrateKbps,
    path: page.path,
  };
}
