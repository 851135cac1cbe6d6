export { loadSignallingConfig, type SignallingConfig } from './config.ts';
export { startSignalling, type SignallingServer } from './server.ts';
export { SfuClient } from './sfu/sfu-client.ts';
export { LinkSigner, randomId } from './links/link-token.ts';
export { turnIceServers, type TurnConfig, type TurnIceServer } from './turn/turn-credentials.ts';
export { issueFirstAdmin, type FirstAdminInput, type FirstAdminResult } from './auth/bootstrap-admin.ts';
// The lifecycle's writer, and its one test-only entry (the e2e stack and benchmarks use it).
export { applyEvent, bookConsultation, forceStateForTest, LifecycleError } from './consultations/lifecycle-writer.ts';
