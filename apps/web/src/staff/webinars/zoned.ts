// The institution's wall clock → an instant: a webinar planned «10 марта, 11:00» is 11:00 in
// the institution's time zone, whatever zone the browser is set to.

function offsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at / 1000) * 1000;
}

/** 'YYYY-MM-DD' + 'HH:mm' in `timeZone` as an ISO instant (…Z). */
export function zonedInstant(date: string, time: string, timeZone: string): string {
  const wall = Date.parse(`${date}T${time}:00Z`);
  let at = wall - offsetMs(timeZone, wall);
  // Once more at the found instant: right across an offset change too.
  at = wall - offsetMs(timeZone, at);
  return new Date(at).toISOString();
}
