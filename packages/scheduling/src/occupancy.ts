// The time one specialist's consultations already take, indexed for the slot search:
// occupied intervals sorted by start with a running maximum of their ends, so "does
// [a, b) meet any of them?" is one binary search, even if bad data holds overlaps.
import { holdsTime, occupiedMs, type Booking } from './booking.ts';

export interface OccupancyIndex {
  /** Occupied-interval starts, ascending. */
  starts: Float64Array;
  /** maxEnds[i] = the latest end among the first i + 1 intervals. */
  maxEnds: Float64Array;
}

export function buildOccupancy(bookings: readonly Booking[], specialistId: string, excludeBookingId?: string): OccupancyIndex {
  const intervals: { start: number; end: number }[] = [];
  for (const b of bookings) {
    if (b.specialistId !== specialistId || !holdsTime(b.state) || b.id === excludeBookingId) continue;
    const i = occupiedMs(b.start.getTime(), b.durationMinutes, b.precheck !== false);
    if (i.start < i.end) intervals.push(i);
  }
  intervals.sort((a, b) => a.start - b.start);
  const starts = new Float64Array(intervals.length);
  const maxEnds = new Float64Array(intervals.length);
  let maxEnd = -Infinity;
  intervals.forEach((iv, k) => {
    starts[k] = iv.start;
    maxEnd = Math.max(maxEnd, iv.end);
    maxEnds[k] = maxEnd;
  });
  return { starts, maxEnds };
}

/** True when [start, end) overlaps any indexed interval. */
export function isOccupied(index: OccupancyIndex, start: number, end: number): boolean {
  // k = how many intervals start before `end`; only those can overlap.
  let lo = 0;
  let hi = index.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.starts[mid]! < end) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && index.maxEnds[lo - 1]! > start;
}
