/** Join milestones, in the order they normally happen (ms from `performance.now()`). */
export const TIMING_MARKS = [
  'joinClicked',
  'joinAck',
  'transportsCreated',
  /** A waiting client was let in (the `admitted` event arrived). */
  'admitted',
  'sendConnected',
  'recvConnected',
  /** The server's first `newConsumer` offer arrived (before the browser set it up). */
  'consumerOffered',
  'firstConsumer',
  /** The room is drawn: a remote video element got its stream. */
  'videoAttached',
  /** The last packet of the first shown frame arrived (requestVideoFrameCallback's `receiveTime`). */
  'firstFrameReceived',
  'firstFrame',
] as const;
export type TimingMark = (typeof TIMING_MARKS)[number];
export type Timings = Partial<Record<TimingMark, number>>;
/** What a remote video reports of its first frame (`at`: when, if not now). */
export type FrameMilestone = 'videoAttached' | 'firstFrameReceived' | 'firstFrame';
export type OnFrameMilestone = (milestone: FrameMilestone, at?: number) => void;
