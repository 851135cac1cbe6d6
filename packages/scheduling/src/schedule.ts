// The specialists' monthly schedule (график консультаций специалистов): drawn up for a
// month, approved by the director, corrected when needed. Only an approved schedule offers
// time; a draft is the head's work in progress and books nothing.
import { isLocalDate, isLocalMonth, monthOf, parseHhmm } from './local-date.ts';
import { violation, type Violation } from './violations.ts';
import type { DayClock } from './zone-clock.ts';

export interface ScheduleBlock {
  date: string; // 'YYYY-MM-DD', inside the schedule's month
  start: string; // 'HH:mm' in the institution's zone
  end: string;
}

export interface SpecialistMonthSchedule {
  specialistId: string;
  month: string; // 'YYYY-MM'
  status: 'draft' | 'approved';
  blocks: ScheduleBlock[];
}

export const SCHEDULE_STATUSES = ['draft', 'approved'] as const;

/** An interval of instants (epoch ms), half-open: [start, end). */
export interface MsInterval {
  start: number;
  end: number;
}

/** What is wrong with a schedule (empty = usable). Malformed blocks are otherwise ignored. */
export function scheduleProblems(schedule: SpecialistMonthSchedule): Violation[] {
  const problems: Violation[] = [];
  if (!isLocalMonth(schedule.month)) {
    problems.push(violation('schedule_invalid', `month ${JSON.stringify(schedule.month)} is not YYYY-MM`));
  }
  if (!SCHEDULE_STATUSES.includes(schedule.status)) {
    problems.push(violation('schedule_invalid', `status ${JSON.stringify(schedule.status)} is not draft or approved`));
  }
  schedule.blocks.forEach((b, i) => {
    if (!isBlockWellFormed(schedule, b)) {
      problems.push(
        violation('schedule_invalid', `blocks[${i}] ${JSON.stringify(b)} is not a date of ${schedule.month} with 'HH:mm' start before end`),
      );
    }
  });
  return problems;
}

function isBlockWellFormed(schedule: SpecialistMonthSchedule, b: ScheduleBlock): boolean {
  const start = parseHhmm(b.start);
  const end = parseHhmm(b.end);
  return isLocalDate(b.date) && monthOf(b.date) === schedule.month && start !== null && end !== null && start < end;
}

/** One specialist's approved blocks, parsed once and grouped by local date (the slot search reads a month of days). */
export interface ApprovedBlocksIndex {
  /** Months ('YYYY-MM') with an approved schedule. */
  months: ReadonlySet<string>;
  /** Wall-clock minutes of the well-formed blocks of each date. */
  byDate: ReadonlyMap<string, readonly { start: number; end: number }[]>;
}

export function indexApprovedBlocks(schedules: readonly SpecialistMonthSchedule[], specialistId: string): ApprovedBlocksIndex {
  const months = new Set<string>();
  const byDate = new Map<string, { start: number; end: number }[]>();
  for (const s of schedules) {
    if (s.specialistId !== specialistId || s.status !== 'approved') continue;
    months.add(s.month);
    for (const b of s.blocks) {
      if (!isBlockWellFormed(s, b)) continue;
      const list = byDate.get(b.date) ?? [];
      list.push({ start: parseHhmm(b.start)!, end: parseHhmm(b.end)! });
      byDate.set(b.date, list);
    }
  }
  return { months, byDate };
}

/**
 * The approved time on one local date, as merged instants (adjacent blocks 10:00–11:00 and
 * 11:00–12:00 hold a consultation at 10:45), or null when no approved schedule covers that
 * month (a different violation from "outside the blocks").
 */
export function approvedBlocksFrom(index: ApprovedBlocksIndex, clock: DayClock): MsInterval[] | null {
  if (!index.months.has(monthOf(clock.date))) return null;
  const blocks = index.byDate.get(clock.date);
  if (blocks === undefined) return [];
  // The usual day has one block: nothing to sort or merge.
  if (blocks.length === 1) return [{ start: clock.at(blocks[0]!.start), end: clock.at(blocks[0]!.end) }];
  return mergeIntervals(blocks.map((b) => ({ start: clock.at(b.start), end: clock.at(b.end) })));
}

/** `approvedBlocksFrom` for one specialist and one date, straight from the schedules. */
export function approvedBlocksOn(
  schedules: readonly SpecialistMonthSchedule[],
  specialistId: string,
  clock: DayClock,
): MsInterval[] | null {
  return approvedBlocksFrom(indexApprovedBlocks(schedules, specialistId), clock);
}

export function mergeIntervals(intervals: MsInterval[]): MsInterval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: MsInterval[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

/** True when [start, end) lies inside one of the (merged) intervals. */
export function insideOne(intervals: readonly MsInterval[], start: number, end: number): boolean {
  return intervals.some((i) => i.start <= start && end <= i.end);
}
