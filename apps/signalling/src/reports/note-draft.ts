// The analytical note's draft (аналитическая записка), built from the figures only: changes
// against the previous month and the same month a year before, institutions above and below
// the department's average of held consultations, deadlines missed. Pure: the resource centre
// edits the text before sending it.
import type { ReportFigures } from '@dp/protocol';
import { onTimeShare } from './totals.ts';

export interface NoteInstitution {
  name: string;
  held: number;
  /** Submitted (or accepted) at all. */
  submitted: boolean;
  /** Submitted after the due day, or not submitted once it passed. */
  late: boolean;
}

export interface NoteInput {
  month: string;
  /** The department's totals for the month, the previous month and the same month a year before. */
  current: ReportFigures;
  previous: ReportFigures | null;
  yearAgo: ReportFigures | null;
  institutions: readonly NoteInstitution[];
  /** 'YYYY-MM-DD': the institutions' due day. */
  institutionDueDate: string;
}

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
/** «в марте 2025 г.»: the prepositional case. */
const MONTHS_IN = ['январе', 'феврале', 'марте', 'апреле', 'мае', 'июне', 'июле', 'августе', 'сентябре', 'октябре', 'ноябре', 'декабре'];

export function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTHS[m - 1]} ${y} г.`;
}

const num = (n: number) => n.toLocaleString('ru-RU', { maximumFractionDigits: 1 });
const localDate = (d: string) => d.split('-').reverse().join('.');

const CRITERIA = [
  'feedback.quality',
  'feedback.topic_match',
  'feedback.comfort',
  'feedback.clarity',
  'feedback.usefulness',
  'feedback.state_improved',
  'feedback.specialist_work',
];

/** The mean of the seven criteria's averages (null: no answers). */
export function feedbackMean(f: ReportFigures): number | null {
  const values = CRITERIA.map((k) => f[k]).filter((v): v is number => typeof v === 'number');
  return values.length > 0 ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null;
}

/** «120 (в предыдущем месяце — 100, рост на 20 %; …)» for a count. */
function countChange(value: number, previous: number | null, yearAgo: number | null, yearLabel: string): string {
  const parts: string[] = [];
  const change = (before: number) => {
    if (before === value) return 'без изменений';
    if (before === 0) return value > before ? `рост на ${num(value)}` : 'без изменений';
    const pct = Math.round(((value - before) / before) * 1000) / 10;
    return pct > 0 ? `рост на ${num(pct)} %` : `снижение на ${num(-pct)} %`;
  };
  if (previous !== null) parts.push(`в предыдущем месяце — ${num(previous)}, ${change(previous)}`);
  if (yearAgo !== null) parts.push(`в ${yearLabel} — ${num(yearAgo)}, ${change(yearAgo)}`);
  return parts.length > 0 ? `${num(value)} (${parts.join('; ')})` : num(value);
}

/** «95 % (в предыдущем месяце — 90 %, +5 п. п.)» for a share or an average (points, not per cent). */
function levelChange(value: number | null, previous: number | null, yearAgo: number | null, yearLabel: string, unit: string): string {
  if (value === null) return 'нет данных';
  const parts: string[] = [];
  const diff = (before: number) => {
    const d = Math.round((value - before) * 10) / 10;
    return d === 0 ? 'без изменений' : `${d > 0 ? '+' : '−'}${num(Math.abs(d))}${unit === ' %' ? ' п. п.' : ''}`;
  };
  if (previous !== null) parts.push(`в предыдущем месяце — ${num(previous)}${unit}, ${diff(previous)}`);
  if (yearAgo !== null) parts.push(`в ${yearLabel} — ${num(yearAgo)}${unit}, ${diff(yearAgo)}`);
  return parts.length > 0 ? `${num(value)}${unit} (${parts.join('; ')})` : `${num(value)}${unit}`;
}

export function draftNote(input: NoteInput): string {
  const [y, m] = input.month.split('-').map(Number) as [number, number];
  const yearLabel = `${MONTHS_IN[m - 1]} ${y - 1} г.`;
  const f = input.current;
  const held = f['consultations.held'] ?? 0;
  const requests = f['requests.received'] ?? 0;
  const lines: string[] = [];
  lines.push(`Аналитическая записка о работе «дистанционных приёмных» за ${monthName(input.month)}`);
  lines.push('');
  lines.push('1. Объём работы');
  lines.push(
    `Проведено консультаций: ${countChange(held, input.previous?.['consultations.held'] ?? null, input.yearAgo?.['consultations.held'] ?? null, yearLabel)}.`,
  );
  lines.push(
    `Поступило обращений: ${countChange(requests, input.previous?.['requests.received'] ?? null, input.yearAgo?.['requests.received'] ?? null, yearLabel)}.`,
  );
  lines.push(
    `Доля обращений, на которые ответили в срок: ${levelChange(onTimeShare(f), input.previous ? onTimeShare(input.previous) : null, input.yearAgo ? onTimeShare(input.yearAgo) : null, yearLabel, ' %')}.`,
  );
  const answers = f['feedback.answers'] ?? 0;
  lines.push(
    answers > 0
      ? `Средняя оценка по анкетам обратной связи (из 5): ${levelChange(feedbackMean(f), input.previous ? feedbackMean(input.previous) : null, input.yearAgo ? feedbackMean(input.yearAgo) : null, yearLabel, '')}; получено анкет: ${num(answers)}.`
      : 'Анкет обратной связи за месяц не получено.',
  );
  lines.push('');
  lines.push('2. Учреждения');
  if (input.institutions.length > 0) {
    const average = input.institutions.reduce((s, i) => s + i.held, 0) / input.institutions.length;
    lines.push(`Среднее число проведённых консультаций на учреждение: ${num(Math.round(average * 10) / 10)}.`);
    const list = (xs: readonly NoteInstitution[]) => xs.map((i) => `${i.name} (${num(i.held)})`).join(', ');
    const above = [...input.institutions].filter((i) => i.held > average).sort((a, b) => b.held - a.held);
    const below = [...input.institutions].filter((i) => i.held < average).sort((a, b) => a.held - b.held);
    lines.push(above.length > 0 ? `Выше среднего: ${list(above)}.` : 'Выше среднего — нет: показатели учреждений равны.');
    if (below.length > 0) lines.push(`Ниже среднего: ${list(below)}.`);
  } else lines.push('Учреждений в департаменте нет.');
  lines.push('');
  lines.push('3. Сроки');
  const late = input.institutions.filter((i) => i.late);
  lines.push(
    late.length > 0
      ? `Не представили отчёт в срок (до ${localDate(input.institutionDueDate)}): ${late.map((i) => i.name + (i.submitted ? ' (представлен позже)' : '')).join(', ')}.`
      : `Все учреждения, от которых ожидался отчёт, представили его в срок (до ${localDate(input.institutionDueDate)}).`,
  );
  const answeredLate = f['requests.answered_late'] ?? 0;
  const overdue = f['requests.overdue_unanswered'] ?? 0;
  lines.push(
    answeredLate + overdue > 0
      ? `Обращений с ответом после срока: ${num(answeredLate)}; срок истёк, ответа нет: ${num(overdue)}.`
      : 'На все обращения ответили в срок.',
  );
  return lines.join('\n');
}
