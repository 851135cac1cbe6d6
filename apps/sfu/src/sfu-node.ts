import type { SfuConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { RpcServer } from './rpc-server.ts';
import { SfuService } from './sfu-service.ts';
import { WorkerPool } from './worker-pool.ts';

export interface SfuNode {
  rpcPort: number;
  pool: WorkerPool;
  service: SfuService;
  close(): void;
}

/** Starts the worker pool and the RPC door; used by main.ts and by tests. */
export async function startSfuNode(config: SfuConfig, log: Logger, ownerGraceMs = 30_000): Promise<SfuNode> {
  const pool = new WorkerPool(config, log);
  await pool.start();
  const service = new SfuService(pool, config, log);
  const rpc = new RpcServer(service, { ...config.rpc, ownerGraceMs }, log);
  const rpcPort = await rpc.listen();
  log.info({ rpcPort, workers: config.workers }, 'sfu node ready');
  return {
    rpcPort,
    pool,
    service,
    close() {
      rpc.close();
      service.close();
      pool.close();
    },
  };
}
