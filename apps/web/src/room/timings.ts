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
  'firstFrame',
] as const;
export type TimingMark = (typeof TIMING_MARKS)[number];
export type Timings = Partial<Record<TimingMark, number>>;
