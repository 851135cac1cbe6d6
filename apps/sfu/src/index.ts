export { loadSfuConfig, type SfuConfig } from './config.ts';
export { createLogger } from './logger.ts';
export { startSfuNode, type SfuNode } from './sfu-node.ts';
