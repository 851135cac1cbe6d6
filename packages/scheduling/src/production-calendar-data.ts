// The Russian production calendar (производственный календарь) as shipped data: per year
// the government's decree «О переносе выходных дней» and what it changes. The non-working
// public holidays themselves come from Labour Code art. 112 (production-calendar.ts); only
// what the decree (and art. 112 part 2) add is listed here.
//
// A year is shipped only when its decree was found in a stored source; the sources are
// named per year. For a year not listed, productionCalendar() says `known: false`.

/** One year's changes to the five-day week besides the art. 112 holidays themselves. */
export interface ProductionYearData {
  /** The decree, as cited: number and date. */
  decree: string;
  /** Where its content was read (press releases of the government quoted by the press). */
  sources: readonly string[];
  /**
   * Days off moved by the decree, `from` → `to` ('YYYY-MM-DD'). `from` is a Saturday or a
   * Sunday: if it is an art. 112 holiday it was a weekend day off coinciding with the
   * holiday; otherwise it becomes a working day (a «рабочая суббота»).
   */
  transfers: readonly { from: string; to: string }[];
  /**
   * Art. 112 part 2: a weekend day off coinciding with a holiday other than 1–8 January
   * moves to the next working day, unless the decree moved it elsewhere.
   */
  holidayShifts: readonly { holiday: string; to: string }[];
  /** Shortened pre-holiday working days (art. 95: one hour shorter). */
  shortDays: readonly string[];
  /** The working and non-working day counts of the five-day week, as published. */
  totals: { workingDays: number; daysOff: number };
}

export const PRODUCTION_CALENDAR_DATA: Readonly<Record<number, ProductionYearData>> = {
  2025: {
    decree: 'Постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в 2025 году»',
    sources: [
      'https://teko.cntd.ru/news/read/reglamentirovan-perenos-vyhodnyh-dney-v-2025-godu/novosti-po-okhrane-truda',
      'https://saransk-news.net/incident/2025/01/08/224021-amp.html (сокращённые дни, 247/118)',
      'http://www.fpur.ru/news/kogda_rabotaem_i_otdykhaem_v_2025_godu/2025-01-08-2512',
    ],
    transfers: [
      { from: '2025-01-04', to: '2025-05-02' },
      { from: '2025-01-05', to: '2025-12-31' },
      { from: '2025-02-23', to: '2025-05-08' },
      { from: '2025-03-08', to: '2025-06-13' },
      { from: '2025-11-01', to: '2025-11-03' },
    ],
    holidayShifts: [],
    shortDays: ['2025-03-07', '2025-04-30', '2025-06-11', '2025-11-01'],
    totals: { workingDays: 247, daysOff: 118 },
  },
  2026: {
    decree: 'Постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных дней в 2026 году»',
    sources: [
      'https://kirov143.ru/2025/09/25/Mishustin-podtverdil-raspisanie-prazdnichnyh-i-vyhodnyh-dney-na-2026-god',
      'https://ura.news/news/1053000919',
      'https://ria.ru/20260211/dni-2073549692.html (сокращённые дни)',
      'https://news.mail.ru/society/69341493/ (247/118)',
    ],
    transfers: [
      { from: '2026-01-03', to: '2026-01-09' },
      { from: '2026-01-04', to: '2026-12-31' },
    ],
    holidayShifts: [
      { holiday: '2026-03-08', to: '2026-03-09' },
      { holiday: '2026-05-09', to: '2026-05-11' },
    ],
    shortDays: ['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03'],
    totals: { workingDays: 247, daysOff: 118 },
  },
  // 2027: only a draft was found (a deputy's preliminary words, news.mail.ru/society/69263681),
  // not the signed decree — not shipped.
};
