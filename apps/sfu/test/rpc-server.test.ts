import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import { loadSfuConfig, startSfuNode, type SfuNode } from '../src/index.ts';

const SECRET = 'rpc-test-secret-0123456789';
let node: SfuNode;
beforeAll(async () => {
  if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
  node = await startSfuNode(
    loadSfuConfig({
      SFU_RPC_SECRET: SECRET,
      SFU_RPC_PORT: '0',
      SFU_WORKERS: '1',
      SFU_LISTEN_IP: '127.0.0.1',
      SFU_RTC_PORT: '22100',
      MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
    }),
    pino({ level: 'silent' }),
  );
});
afterAll(() => node?.close());

function open(secret: string, instance = 'test-instance'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${node.rpcPort}`, {
      headers: { authorization: `Bearer ${secret}`, 'x-signalling-instance': instance },
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function exchange(ws: WebSocket, raw: string): Promise<{ t: string; id: number; ok: boolean; error?: { code: string } }> {
  return new Promise((resolve) => {
    ws.once('message', (m) => resolve(JSON.parse(m.toString())));
    ws.send(raw);
  });
}

describe('the RPC door', () => {
  it('refuses a wrong or missing secret', async () => {
    await expect(open('wrong-secret-0123456789')).rejects.toThrow(/401/);
    await expect(open('')).rejects.toThrow(/401/);
  });

  it('answers malformed frames, unknown methods and bad requests with an error, and keeps serving', async () => {
    const ws = await open(SECRET);
    expect(await exchange(ws, 'not json')).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await exchange(ws, JSON.stringify({ t: 'req', id: 1, method: 'rmRf', data: {} }))).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await exchange(ws, JSON.stringify({ t: 'req', id: 2, method: 'openRouter', data: { roomId: 42 } }))).toMatchObject({
      id: 2,
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(
      await exchange(
        ws,
        JSON.stringify({
          t: 'req',
          id: 3,
          method: 'connectTransport',
          data: {
            roomId: 'nope',
            peerId: 'p',
            transportId: 't',
            dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
          },
        }),
      ),
    ).toMatchObject({ id: 3, ok: false, error: { code: 'not_found' } });
    expect(await exchange(ws, JSON.stringify({ t: 'req', id: 4, method: 'nodeInfo', data: {} }))).toMatchObject({ id: 4, ok: true });
    ws.close();
  });
});
