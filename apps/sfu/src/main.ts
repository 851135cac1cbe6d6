import { loadSfuConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startSfuNode } from './sfu-node.ts';

const config = loadSfuConfig();
const log = createLogger('sfu', config.logLevel);
const node = await startSfuNode(config, log);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'sfu stopping');
    node.close();
    setTimeout(() => process.exit(0), 200).unref();
  });
}
