// The month schedule's blocks on screen: per day, checked before saving, months counted.
import type { ScheduleBlock } from '@dp/protocol';

/** 'YYYY-MM' of 'YYYY-MM-DD'. */
export const monthOfDate = (date: string) => date.slice(0, 7);

/** The month `n` months after 'YYYY-MM'. */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Today 'YYYY-MM-DD' in a time zone (the institution's). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * The month a screen opens on: this month; for a head or admin after the 20th, the next one
 * (the month they draw up and approve before it begins).
 */
export function defaultMonth(today: string, approver: boolean): string {
  const month = monthOfDate(today);
  return approver && Number(today.slice(8, 10)) > 20 ? shiftMonth(month, 1) : month;
}

const minutes = (hhmm: string) => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

export function sortBlocks(blocks: readonly ScheduleBlock[]): ScheduleBlock[] {
  return [...blocks].sort((a, b) => (a.date + a.start < b.date + b.start ? -1 : a.date + a.start > b.date + b.start ? 1 : 0));
}

export function blocksOn(blocks: readonly ScheduleBlock[], date: string): ScheduleBlock[] {
  return sortBlocks(blocks.filter((b) => b.date === date));
}

/** Replaces one day's blocks, the rest of the month kept. */
export function withDay(blocks: readonly ScheduleBlock[], date: string, day: readonly ScheduleBlock[]): ScheduleBlock[] {
  return sortBlocks([...blocks.filter((b) => b.date !== date), ...day.map((b) => ({ ...b, date }))]);
}

/** «09:00–13:00, 14:00–16:00». */
export function dayText(day: readonly ScheduleBlock[]): string {
  return day.map((b) => `${b.start}–${b.end}`).join(', ');
}

/** Hours of the day's blocks (for the calendar cell), e.g. 6 or 5.5. */
export function dayHours(day: readonly ScheduleBlock[]): number {
  const total = day.reduce((sum, b) => sum + Math.max(0, (minutes(b.end) ?? 0) - (minutes(b.start) ?? 0)), 0);
  return Math.round((total / 60) * 10) / 10;
}

/** The dates whose blocks differ between two versions of a month. */
export function changedDates(a: readonly ScheduleBlock[], b: readonly ScheduleBlock[]): Set<string> {
  const dates = new Set([...a, ...b].map((x) => x.date));
  return new Set([...dates].filter((d) => dayText(blocksOn(a, d)) !== dayText(blocksOn(b, d))));
}

export type BlockProblem = 'time' | 'order' | 'overlap';

/** What is wrong with each block of a day (by index in the day's order), nothing when fine. */
export function dayProblems(day: readonly ScheduleBlock[]): Map<number, BlockProblem> {
  const problems = new Map<number, BlockProblem>();
  day.forEach((b, i) => {
    const start = minutes(b.start);
    const end = minutes(b.end);
    if (start === null || end === null) problems.set(i, 'time');
    else if (start >= end) problems.set(i, 'order');
  });
  const wellFormed = day.map((_, i) => !problems.has(i));
  day.forEach((b, i) => {
    if (!wellFormed[i]) return;
    const overlaps = day.some((o, j) => j !== i && wellFormed[j] && o.start < b.end && b.start < o.end);
    if (overlaps) problems.set(i, 'overlap');
  });
  return problems;
}

/** The month's first problem date, or null when every day is fine. */
export function firstProblemDate(blocks: readonly ScheduleBlock[]): string | null {
  for (const date of [...new Set(blocks.map((b) => b.date))].sort()) {
    if (dayProblems(blocksOn(blocks, date)).size > 0) return date;
  }
  return null;
}
