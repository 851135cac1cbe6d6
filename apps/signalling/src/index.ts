export { loadSignallingConfig, type SignallingConfig } from './config.ts';
export { startSignalling, type SignallingServer } from './server.ts';
export { SfuClient } from './sfu/sfu-client.ts';
export { LinkSigner, randomId } from './links/link-token.ts';
