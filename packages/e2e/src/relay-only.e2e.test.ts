import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'puppeteer-core';
import {
  admitNext,
  attr,
  join,
  launchChromium,
  openParticipant,
  openStaff,
  PHONE,
  screenshot,
  waitForMedia,
  waitUntil,
} from './browser.ts';
import { freeTcpUdpPort, startCoturn, type Coturn } from './coturn.ts';
import { createClientNet, launchChromiumIn, linkVia, productEnvFor, type ClientNet } from './netem/netns.ts';
import { startProduct, type Product } from './stack.ts';
import { turnIceServers } from '@dp/signalling';
import { staffOf } from './staff.ts';

// Relay only: the client sits in its own network namespace whose UDP is blocked entirely and
// whose TCP to the SFU's RTC port is blocked too (a school or office network that lets out
// only TCP to a few servers). What is left is TURN over TCP to a local coturn (Debian's,
// use-auth-secret) on the root end of the veth; the product runs with TURN_ENABLED=1 and hands
// out TURN REST credentials with `join`. coturn relays only to the SFU's (private) address —
// allowed-peer-ip among denied private ranges, as infra/multi-node/turnserver.conf has it.
// Both sides must see and hear each other, the client's selected path must be the relay, and
// the admins' dashboard must say so. Then the same browser, with TCP to coturn's TURN port
// blocked as well, still gets a relay over coturn's TLS port (networks that let only TLS out).

let net: ClientNet | undefined;
let coturn: Coturn | undefined;
let product: Product | undefined;
let browser: Browser | undefined;
let clientBrowser: Browser | undefined;
let rtcPort = 0;

beforeAll(async () => {
  net = await createClientNet('tu-relay');
  coturn = await startCoturn({ listenIp: net.hostIp, allowedPeerIp: net.hostIp, tls: true });
  rtcPort = await freeTcpUdpPort('0.0.0.0');
  product = await startProduct({
    env: {
      ...productEnvFor(net),
      SFU_RTC_PORT: String(rtcPort),
      SFU_WORKERS: '1',
      TURN_ENABLED: '1',
      TURN_SECRET: coturn.secret,
      TURN_URLS: coturn.urls.join(','),
    },
  });
  await net.blockUdp(true);
  await net.blockTcpTo(net.hostIp, [rtcPort], true);
  browser = await launchChromium();
  // The TURN/TLS listener's certificate is a throw-away self-signed one.
  clientBrowser = await launchChromiumIn(net, new URL(linkVia(product.url, net)).origin, ['--ignore-certificate-errors']);
}, 90_000);

afterAll(async () => {
  // Each step on its own: a failed one must not leave a namespace or a coturn behind.
  for (const step of [
    () => clientBrowser?.close(),
    () => browser?.close(),
    () => product?.stop(),
    () => coturn?.stop(),
    () => net?.destroy(),
  ]) {
    await Promise.resolve()
      .then(step)
      .catch((e: unknown) => console.error(`[relay-only cleanup] ${(e as Error).message}`));
  }
}, 60_000);

interface Path {
  candidateType: string | undefined;
  protocol: string | undefined;
  relayProtocol: string | undefined;
}

/** The selected candidate pair's local candidate of each transport (send, recv) of a page. */
async function paths(page: Page): Promise<{ send: Path; recv: Path }> {
  return page.evaluate(async () => {
    type Stat = Record<string, unknown> & { type: string; id: string };
    const client = (window as unknown as { __roomClient?: { getStats(): Promise<{ send: Stat[]; recv: Stat[] }> } }).__roomClient;
    if (!client) throw new Error('window.__roomClient is missing');
    const stats = await client.getStats();
    const local = (list: Stat[]) => {
      const transport = list.find((s) => s.type === 'transport');
      const pair = list.find((s) => s.type === 'candidate-pair' && s.id === transport?.selectedCandidatePairId);
      const c = list.find((s) => s.type === 'local-candidate' && s.id === pair?.localCandidateId);
      return {
        candidateType: c?.candidateType as string | undefined,
        protocol: c?.protocol as string | undefined,
        relayProtocol: c?.relayProtocol as string | undefined,
      };
    };
    return { send: local(stats.send), recv: local(stats.recv) };
  });
}

/** The energy of the audio a page received (WebRTC's totalAudioEnergy): > 0 only when sound, not silence, arrived. */
async function audioEnergy(page: Page): Promise<number> {
  return page.evaluate(async () => {
    type Stat = Record<string, unknown> & { type: string };
    const client = (window as unknown as { __roomClient?: { getStats(): Promise<{ recv: Stat[] }> } }).__roomClient;
    const { recv } = await client!.getStats();
    return recv.filter((s) => s.type === 'inbound-rtp' && s.kind === 'audio').reduce((a, s) => a + (Number(s.totalAudioEnergy) || 0), 0);
  });
}

describe('relay only (TURN over TCP through coturn)', () => {
  it('connects a client that can reach nothing but the TURN server: both sides see and hear each other, the dashboard says relay', async () => {
    const name = `relay-${Date.now()}`;
    const roomId = product!.consultationId(name);
    const specialist = await openStaff(browser!, await product!.staff(name, 'specialist'));
    const client = await openParticipant(clientBrowser!, linkVia(await product!.link(name, 'client'), net!), PHONE);
    await join(specialist);
    await join(client, 30_000);
    await client.waitForSelector('[data-testid="waiting-room"]', { timeout: 30_000 });
    const clientId = await admitNext(specialist, 30_000);
    const admitted = Date.now();

    for (const page of [specialist, client]) {
      await waitForMedia(page, (m) => m.videoFramesDecoded > 30 && m.audioPacketsReceived > 50, 45_000);
    }
    console.log(`relay-only: 30 frames and 50 audio packets both ways ${Date.now() - admitted} ms after «Впустить»`);
    await waitUntil(async () => (await audioEnergy(client)) > 0 && (await audioEnergy(specialist)) > 0, 'sound (not silence) both ways');

    // The client's only way: a relay candidate, allocated over TCP (its UDP is blocked).
    const clientPaths = await paths(client);
    expect(clientPaths.send).toEqual({ candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp' });
    expect(clientPaths.recv).toEqual({ candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp' });
    // The specialist, on the SFU's own network, goes direct.
    expect((await paths(specialist)).recv.candidateType).toBe('host');
    await screenshot(client, 'relay-only-client-phone');

    // The admins' dashboard names the client's path.
    const dashboard = await (await browser!.createBrowserContext()).newPage();
    await dashboard.setViewport({ width: 1366, height: 900 });
    await dashboard.goto(`${product!.base}/`, { waitUntil: 'domcontentloaded' });
    await (await staffOf(product!.prisma, roomId, 'admin', 'Администратор Ресурсного центра')).signIn(dashboard);
    await dashboard.goto(`${product!.base}/admin/health`, { waitUntil: 'domcontentloaded' });
    await dashboard.waitForSelector(`[data-testid="room-${roomId}"][data-phase="live"]`, { timeout: 30_000 });
    await dashboard.click(`[data-room-button="${roomId}"]`);
    const row = `participant-${clientId}`;
    await waitUntil(async () => (await attr(dashboard, row, 'data-path')) === 'relay', 'the dashboard to show the relay', 30_000);
    const text = await dashboard.$eval(`[data-testid="${row}"]`, (el) => el.textContent ?? '');
    expect(text).toMatch(/TURN-сервер \(relay/);
    await screenshot(dashboard, 'relay-only-dashboard');
  }, 180_000);
  it('gets a relay over TURN/TLS when the TURN port is blocked too', async () => {
    await net!.blockTcpTo(net!.hostIp, [coturn!.port], true);
    const [server] = turnIceServers({ secret: coturn!.secret, urls: coturn!.urls, ttlSeconds: 600 }, new Date());
    const page = await (await clientBrowser!.createBrowserContext()).newPage();
    // Only gathering (no call): the first relay candidate the browser allocates, and over what.
    // TURN over UDP and TCP are blocked, so it can only be TLS (else nothing within 15 s).
    const relay = await page.evaluate(async (ice: RTCIceServer) => {
      const pc = new RTCPeerConnection({ iceServers: [ice], iceTransportPolicy: 'relay' });
      pc.createDataChannel('probe');
      const found = new Promise<string | null>((res) => {
        setTimeout(() => res(null), 15_000);
        pc.onicecandidate = (e) => {
          const c = e.candidate as (RTCIceCandidate & { relayProtocol?: string }) | null; // not yet in TypeScript's DOM types
          if (c?.type === 'relay') res(c.relayProtocol ?? '?');
        };
      });
      await pc.setLocalDescription(await pc.createOffer());
      const protocol = await found;
      pc.close();
      return protocol;
    }, server!);
    expect(relay).toBe('tls');
    await page.browserContext().close();
  }, 60_000);
});
