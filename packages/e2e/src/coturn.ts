// A throw-away coturn for the relay tests: the same helper the signalling unit test uses
// (infra/scripts/coturn.ts: temp directory, free ports, use-auth-secret, no CLI, only the given
// SFU address allowed among private peers, relay-ip = listenIp; stop() kills it and cleans up).
export { startCoturn, freeTcpUdpPort, DENIED_PEER_RANGES, type Coturn, type CoturnOptions } from '@dp/infra-scripts/coturn';
