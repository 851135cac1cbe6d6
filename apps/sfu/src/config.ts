import { cpus } from 'node:os';
import { z } from 'zod';

// Parsed once at start-up; a wrong value stops the process with the variable's name.
const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const Env = z.object({
  SFU_NODE_ID: z.string().min(1).default('sfu-1'),
  /** RPC endpoint signalling connects to. Keep it on a private interface. */
  SFU_RPC_HOST: z.string().default('127.0.0.1'),
  SFU_RPC_PORT: z.coerce.number().int().min(0).max(65535).default(4443),
  /** Shared secret signalling presents on the RPC socket. */
  SFU_RPC_SECRET: z.string().min(16, 'SFU_RPC_SECRET must be at least 16 characters'),
  SFU_WORKERS: z.coerce.number().int().min(1).max(64).default(cpus().length),
  /** Interface the WebRtcServers bind to, and the address announced to browsers. */
  SFU_LISTEN_IP: z.string().default('0.0.0.0'),
  SFU_ANNOUNCED_ADDRESS: z.string().optional(),
  /** Worker i listens on UDP and TCP port SFU_RTC_PORT + i: a firewall opens a handful of ports. */
  SFU_RTC_PORT: z.coerce.number().int().min(1).max(65000).default(40000),
  SFU_INITIAL_BITRATE: z.coerce.number().int().positive().default(600_000),
  SFU_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  MEDIASOUP_WORKER_BIN: z.string().optional(),
  SFU_PRETTY_LOGS: bool.default(false),
});

export type SfuConfig = {
  nodeId: string;
  rpc: { host: string; port: number; secret: string };
  workers: number;
  listenIp: string;
  announcedAddress: string | undefined;
  rtcPortBase: number;
  initialAvailableOutgoingBitrate: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  workerBin: string | undefined;
};

export function loadSfuConfig(env: NodeJS.ProcessEnv = process.env): SfuConfig {
  const r = Env.safeParse(env);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('\n  ');
    throw new Error(`SFU configuration is invalid:\n  ${msg}`);
  }
  const e = r.data;
  return {
    nodeId: e.SFU_NODE_ID,
    rpc: { host: e.SFU_RPC_HOST, port: e.SFU_RPC_PORT, secret: e.SFU_RPC_SECRET },
    workers: e.SFU_WORKERS,
    listenIp: e.SFU_LISTEN_IP,
    announcedAddress: e.SFU_ANNOUNCED_ADDRESS || (e.SFU_LISTEN_IP === '0.0.0.0' ? '127.0.0.1' : undefined),
    rtcPortBase: e.SFU_RTC_PORT,
    initialAvailableOutgoingBitrate: e.SFU_INITIAL_BITRATE,
    logLevel: e.SFU_LOG_LEVEL,
    workerBin: e.MEDIASOUP_WORKER_BIN,
  };
}
