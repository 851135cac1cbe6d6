/** Join milestones, in the order they normally happen (ms from `performance.now()`). */
export const TIMING_MARKS = [
  'joinClicked',
  'joinAck',
  'transportsCreated',
  'sendConnected',
  'recvConnected',
  'firstConsumer',
  'firstFrame',
] as const;
export type TimingMark = (typeof TIMING_MARKS)[number];
export type Timings = Partial<Record<TimingMark, number>>;
