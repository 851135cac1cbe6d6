import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { loadSfuConfig, startSfuNode, type SfuNode } from '../src/index.ts';

const env = (extra: Record<string, string> = {}) => ({
  SFU_RPC_SECRET: 'sfu-test-secret-0123456789',
  SFU_RPC_PORT: '0',
  SFU_WORKERS: '2',
  SFU_LISTEN_IP: '127.0.0.1',
  SFU_RTC_PORT: '22000',
  MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN ?? '',
  ...extra,
});

describe('configuration', () => {
  it('names the variable that is wrong', () => {
    expect(() => loadSfuConfig({ ...env(), SFU_RPC_SECRET: 'short' })).toThrow(/SFU_RPC_SECRET/);
    expect(() => loadSfuConfig({ ...env(), SFU_WORKERS: 'many' })).toThrow(/SFU_WORKERS/);
    expect(() => loadSfuConfig({ ...env(), SFU_RTC_PORT: '70000' })).toThrow(/SFU_RTC_PORT/);
  });

  it('announces loopback when listening on every interface with no address given', () => {
    expect(loadSfuConfig({ ...env(), SFU_LISTEN_IP: '0.0.0.0' }).announcedAddress).toBe('127.0.0.1');
    expect(loadSfuConfig({ ...env(), SFU_ANNOUNCED_ADDRESS: '203.0.113.7' }).announcedAddress).toBe('203.0.113.7');
  });
});

describe('sfu node', () => {
  let node: SfuNode;
  beforeAll(async () => {
    if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
    node = await startSfuNode(loadSfuConfig(env()), pino({ level: 'silent' }));
  });
  afterAll(() => node?.close());

  it("runs our worker build, linked against the system's OpenSSL 3 (not a bundled one)", () => {
    const bin = process.env.MEDIASOUP_WORKER_BIN!;
    const ldd = execFileSync('ldd', [bin], { encoding: 'utf8' });
    expect(ldd).toMatch(/libssl\.so\.3 => \/(usr\/)?lib\/x86_64-linux-gnu\/libssl\.so\.3/);
    expect(ldd).not.toMatch(/libsrtp2\.so/); // libsrtp is linked statically, on OpenSSL's crypto
    for (const slot of node.pool.list()) {
      const maps = readFileSync(`/proc/${slot.worker.pid}/maps`, 'utf8');
      expect(maps).toContain('/libssl.so.3');
      expect(readFileSync(`/proc/${slot.worker.pid}/cmdline`, 'utf8').split('\0')[0]).toBe(bin);
    }
  });

  it("restarts ICE on a peer's own transport only: new credentials, same transport", async () => {
    const h = node.service.handlers;
    await h.openRouter({ roomId: 'ice' }, 't');
    const t1 = await h.createWebRtcTransport({ roomId: 'ice', peerId: 'p1', direction: 'recv', forceTcp: false }, 't');
    const { iceParameters } = await h.restartIce({ roomId: 'ice', peerId: 'p1', transportId: t1.id }, 't');
    expect(iceParameters.usernameFragment).not.toBe(t1.iceParameters.usernameFragment);
    expect(iceParameters.password).not.toBe(t1.iceParameters.password);
    expect((await h.roomState({ roomId: 'ice' }, 't')).transports).toBe(1);
    // Another peer cannot restart it, and a consumer it does not own cannot be closed.
    await expect(h.restartIce({ roomId: 'ice', peerId: 'p2', transportId: t1.id }, 't')).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.closeConsumer({ roomId: 'ice', peerId: 'p1', consumerId: 'nope' }, 't')).rejects.toMatchObject({ code: 'not_found' });
    await h.closeRouter({ roomId: 'ice' }, 't');
  });

  it('gives each worker its own WebRtcServer port, and places rooms on the least loaded worker', async () => {
    const info = await node.service.handlers.nodeInfo({}, 't');
    expect(info.workers).toHaveLength(2);
    const a = await node.service.handlers.openRouter({ roomId: 'a' }, 't');
    const b = await node.service.handlers.openRouter({ roomId: 'b' }, 't');
    expect(a.workerPid).not.toBe(b.workerPid);
    const dumps = await Promise.all(node.pool.list().map((s) => s.webRtcServer.dump()));
    const ports = dumps.flatMap((d) => d.udpSockets.map((u) => u.port)).sort();
    expect(ports).toEqual([22000, 22001]);
    await node.service.handlers.closeRouter({ roomId: 'a' }, 't');
    await node.service.handlers.closeRouter({ roomId: 'b' }, 't');
  });

  it('opens one router when two peers ask for a room at the same time', async () => {
    const [x, y] = await Promise.all([
      node.service.handlers.openRouter({ roomId: 'same' }, 't'),
      node.service.handlers.openRouter({ roomId: 'same' }, 't'),
    ]);
    expect(x.workerPid).toBe(y.workerPid);
    expect(node.service.roomCount()).toBe(1);
    expect(await node.service.handlers.closeRouter({ roomId: 'same' }, 't')).toEqual({ closed: true });
    expect(await node.service.handlers.roomState({ roomId: 'same' }, 't')).toMatchObject({ exists: false });
  });

  it('closes the rooms of a signalling instance that is gone, and only those', async () => {
    await node.service.handlers.openRouter({ roomId: 'mine' }, 'instance-1');
    await node.service.handlers.openRouter({ roomId: 'theirs' }, 'instance-2');
    expect(node.service.closeRoomsOwnedBy('instance-1')).toBe(1);
    expect((await node.service.handlers.roomState({ roomId: 'mine' }, 't')).exists).toBe(false);
    expect((await node.service.handlers.roomState({ roomId: 'theirs' }, 't')).exists).toBe(true);
  });
});
