import type { SfuMethod, SfuRequest, SfuResponse } from '@dp/protocol';

/** The SFU requests a room makes (sfu/sfu-client.ts has more: probes, health, events). */
export type RoomSfuMethod = Extract<
  SfuMethod,
  | 'openRouter'
  | 'closeRouter'
  | 'createWebRtcTransport'
  | 'connectTransport'
  | 'produce'
  | 'consume'
  | 'setProducerPaused'
  | 'closeProducer'
  | 'setConsumerPaused'
  | 'closeConsumer'
  | 'restartIce'
  | 'closePeer'
>;

/**
 * What a room needs of its media server: typed requests, and whether it is reachable.
 * `SfuClient` is the real one; test/room.test.ts drives the room with a fake.
 */
export interface RoomSfu {
  readonly connected: boolean;
  request<M extends RoomSfuMethod>(method: M, data: SfuRequest<M>): Promise<SfuResponse<M>>;
}
