// TURN REST API credentials (turn/turn-credentials.ts) and the TURN_* configuration, checked
// against an independent HMAC and against a real coturn (Debian's turnserver, use-auth-secret):
// werift's TURN client allocates with them over UDP, TCP and TLS; an expired credential and
// one signed with another secret are refused with 401.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classes, createTurnClient, makeIntegrityKey, Message, methods, parseMessage } from 'werift';
import { DENIED_PEER_RANGES, startCoturn, type Coturn } from '@dp/infra-scripts/coturn';
import { loadSignallingConfig } from '../src/config.ts';
import { turnCredential, turnIceServers, turnUsername, type TurnConfig } from '../src/turn/turn-credentials.ts';
import { LINK_SECRET, SECRET } from './harness.ts';

const TURN_SECRET = 'north-wind-0123456789-abcdefghijkl';
const SFU_IP = '10.1.2.3';
const repoRoot = resolve(import.meta.dirname, '../../..');

describe('TURN REST API credentials', () => {
  it('password = base64(HMAC-SHA1(secret, username)), on a vector computed by openssl', () => {
    // echo -n "1700000000:abc" | openssl dgst -sha1 -hmac "$TURN_SECRET" -binary | base64
    expect(turnCredential(TURN_SECRET, '1700000000:abc')).toBe('FWLRbQSUpnUsYAMd30BKorA6dvA=');
    expect(turnCredential(TURN_SECRET, '1700000000:abd')).not.toBe('FWLRbQSUpnUsYAMd30BKorA6dvA=');
  });

  it('hands out one server with every URL, expiring TTL after now, with an opaque random id', () => {
    const turn: TurnConfig = {
      secret: TURN_SECRET,
      urls: ['turn:10.0.0.1:3478?transport=udp', 'turn:10.0.0.1:3478?transport=tcp'],
      ttlSeconds: 7200,
    };
    const now = new Date('2026-12-07T10:00:00Z');
    const [a, ...rest] = turnIceServers(turn, now);
    expect(rest).toEqual([]);
    expect(a!.urls).toEqual(turn.urls);
    const [expiry, id] = a!.username.split(':');
    expect(Number(expiry)).toBe(now.getTime() / 1000 + 7200);
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(a!.credential).toBe(createHmac('sha1', TURN_SECRET).update(a!.username).digest('base64'));
    // A fresh id each time: a username never links two joins.
    expect(turnIceServers(turn, now)[0]!.username).not.toBe(a!.username);
    expect(turnIceServers(null, now)).toEqual([]);
    expect(() => turnUsername(1, 'a:b')).toThrow();
  });
});

describe('TURN configuration (config.ts)', () => {
  const base = { SFU_RPC_SECRET: SECRET, LINK_SECRET, DATABASE_URL: 'postgresql://x@127.0.0.1/x', REDIS_URL: 'redis://127.0.0.1:1' };

  it('is off by default', () => {
    expect(loadSignallingConfig(base).turn).toBeNull();
    expect(loadSignallingConfig({ ...base, TURN_SECRET: TURN_SECRET, TURN_URLS: 'turn:h:3478' }).turn).toBeNull();
  });

  it('TURN_ENABLED=1 wants a long secret and URLs, and parses them', () => {
    expect(() => loadSignallingConfig({ ...base, TURN_ENABLED: '1' })).toThrow('TURN_ENABLED=1 needs TURN_SECRET and TURN_URLS');
    expect(() => loadSignallingConfig({ ...base, TURN_ENABLED: '1', TURN_SECRET: 'short', TURN_URLS: 'turn:h:3478' })).toThrow(
      /TURN_SECRET/,
    );
    expect(() => loadSignallingConfig({ ...base, TURN_ENABLED: '1', TURN_SECRET })).toThrow('needs TURN_SECRET and TURN_URLS');
    expect(() => loadSignallingConfig({ ...base, TURN_ENABLED: '1', TURN_SECRET, TURN_URLS: 'https://h' })).toThrow(
      /TURN_URLS: each entry/,
    );
    const urls =
      'turn:turn.example.org:3478?transport=udp, turn:turn.example.org:3478?transport=tcp,turns:turn.example.org:443?transport=tcp';
    expect(loadSignallingConfig({ ...base, TURN_ENABLED: '1', TURN_SECRET, TURN_URLS: urls }).turn).toEqual({
      secret: TURN_SECRET,
      urls: [
        'turn:turn.example.org:3478?transport=udp',
        'turn:turn.example.org:3478?transport=tcp',
        'turns:turn.example.org:443?transport=tcp',
      ],
      ttlSeconds: 7200,
    });
    expect(
      loadSignallingConfig({ ...base, TURN_ENABLED: '1', TURN_SECRET, TURN_URLS: urls, TURN_CREDENTIAL_TTL_S: '5400' }).turn?.ttlSeconds,
    ).toBe(5400);
  });
});

/** One Allocate over UDP by hand (the 401 challenge, then the authenticated request): its answer. */
async function allocateOnce(port: number, username: string, password: string): Promise<{ ok: boolean; code?: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((res) => socket.bind(0, '127.0.0.1', res));
  const exchange = (m: Message) =>
    new Promise<Message>((res, rej) => {
      const timer = setTimeout(() => rej(new Error('coturn did not answer')), 3000);
      socket.once('message', (data) => {
        clearTimeout(timer);
        res(parseMessage(data)!);
      });
      socket.send(m.bytes, port, '127.0.0.1');
    });
  try {
    const request = () => new Message(methods.ALLOCATE, classes.REQUEST).setAttribute('REQUESTED-TRANSPORT', 0x11000000);
    const challenge = await exchange(request());
    expect(challenge.getAttributeValue('ERROR-CODE')?.[0]).toBe(401);
    const realm = challenge.getAttributeValue('REALM') as string;
    const answer = await exchange(
      request()
        .setAttribute('USERNAME', username)
        .setAttribute('REALM', realm)
        .setAttribute('NONCE', challenge.getAttributeValue('NONCE'))
        .addMessageIntegrity(makeIntegrityKey(username, realm, password))
        .addFingerprint(),
    );
    if (answer.messageClass === classes.RESPONSE) return { ok: true };
    return { ok: false, code: (answer.getAttributeValue('ERROR-CODE') as [number, string])[0] };
  } finally {
    socket.close();
  }
}

describe('against a real coturn (use-auth-secret)', () => {
  let coturn: Coturn;
  beforeAll(async () => {
    // 10.1.2.3 stands for an SFU on a private network; loopback is listed too, and must stay refused.
    coturn = await startCoturn({ listenIp: '127.0.0.1', allowedPeerIp: [SFU_IP, '127.0.0.1'], secret: TURN_SECRET, tls: true });
  });
  afterAll(() => coturn?.stop());

  it('allocates a relay over UDP, TCP and TLS with the credentials signalling hands out', async () => {
    const [server] = turnIceServers({ secret: TURN_SECRET, urls: coturn.urls, ttlSeconds: 7200 }, new Date());
    const transports = [
      ['udp', coturn.port],
      ['tcp', coturn.port],
      ['tls', coturn.tlsPort!],
    ] as const;
    for (const [transport, port] of transports) {
      const turn = await createTurnClient(
        { address: ['127.0.0.1', port], username: server!.username, password: server!.credential },
        { transport, tlsOptions: { ca: coturn.certPem, servername: 'turn.test' } },
      );
      try {
        expect(turn.relayedAddress[0]).toBe('127.0.0.1');
        expect(turn.relayedAddress[1]).toBeGreaterThanOrEqual(50_000);
      } finally {
        await turn.close();
      }
    }
  });

  it('refuses an expired credential and one signed with another secret (401), accepts a fresh one', async () => {
    const now = new Date();
    const [fresh] = turnIceServers({ secret: TURN_SECRET, urls: coturn.urls, ttlSeconds: 60 }, now);
    expect(await allocateOnce(coturn.port, fresh!.username, fresh!.credential)).toEqual({ ok: true });

    const [expired] = turnIceServers({ secret: TURN_SECRET, urls: coturn.urls, ttlSeconds: 60 }, new Date(now.getTime() - 120_000));
    expect(await allocateOnce(coturn.port, expired!.username, expired!.credential)).toEqual({ ok: false, code: 401 });

    const [forged] = turnIceServers({ secret: 'another-secret-0123456789-abcdefghij', urls: coturn.urls, ttlSeconds: 60 }, now);
    expect(await allocateOnce(coturn.port, forged!.username, forged!.credential)).toEqual({ ok: false, code: 401 });
  });
  it('relays to the SFU’s private address only: other private space and loopback are refused', async () => {
    const [server] = turnIceServers({ secret: TURN_SECRET, urls: coturn.urls, ttlSeconds: 600 }, new Date());
    const turn = await createTurnClient({ address: ['127.0.0.1', coturn.port], username: server!.username, password: server!.credential });
    const permitted = (ip: string) =>
      turn.getPermission([ip, 40000]).then(
        () => true,
        () => false,
      );
    try {
      expect(await permitted(SFU_IP)).toBe(true);
      expect(await permitted('10.1.2.4')).toBe(false);
      expect(await permitted('192.168.1.10')).toBe(false);
      expect(await permitted('127.0.0.1')).toBe(false); // allowed-peer-ip does not open loopback
      expect(await permitted('8.8.8.8')).toBe(true); // public peers: what TURN is for
    } finally {
      await turn.close();
    }
  });

  it('the shipped configurations deny the same ranges as this test server', () => {
    const denied = (path: string) =>
      [...readFileSync(resolve(repoRoot, path), 'utf8').matchAll(/^denied-peer-ip=(\S+)$/gm)].map((m) => m[1]);
    expect(denied('infra/multi-node/turnserver.conf')).toEqual(DENIED_PEER_RANGES);
    expect(denied('infra/scripts/local-coturn.sh')).toEqual(DENIED_PEER_RANGES);
    for (const path of ['infra/multi-node/turnserver.conf', 'infra/scripts/local-coturn.sh']) {
      const text = readFileSync(resolve(repoRoot, path), 'utf8');
      expect(text).toMatch(/^no-tcp-relay$/m);
      expect(text).toMatch(/^no-cli$/m);
      expect(text).toMatch(/^use-auth-secret$/m);
      expect(text).not.toMatch(/^allow-loopback-peers/m);
    }
  });
});
