// Free slots (UTC instants from schedules.free_slots) as the staff choose them: by the
// institution's local day and time — never the browser's zone (a social worker on a laptop
// set to Moscow books for an institution in Omsk).

/** 'YYYY-MM-DD' of an instant in a time zone. */
export function localDate(iso: string, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** 'HH:mm' of an instant in a time zone. */
export function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** The slots by local day, each day's starts in order. */
export function slotsByDay(slots: readonly string[], timeZone: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of [...slots].sort()) {
    const day = localDate(s, timeZone);
    const list = out.get(day);
    if (list) list.push(s);
    else out.set(day, [s]);
  }
  return out;
}

/** 'YYYY-MM-01' of a 'YYYY-MM-DD'. */
export const monthOf = (date: string): string => `${date.slice(0, 7)}-01`;

/** The first day of the month after 'YYYY-MM-01'. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The instants to ask free slots for, covering a local month in any zone: a day either side
 * (the server's limit is 62 days), never before `now`.
 */
export function monthRange(month: string, now: Date): { from: string; to: string } {
  const DAY = 86_400_000;
  const start = Date.parse(`${month}T00:00:00Z`) - DAY;
  const end = Date.parse(`${nextMonth(month)}T00:00:00Z`) + DAY;
  return { from: new Date(Math.max(start, now.getTime())).toISOString(), to: new Date(Math.max(end, now.getTime() + DAY)).toISOString() };
}
