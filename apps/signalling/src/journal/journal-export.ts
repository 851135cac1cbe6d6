// The consultation journal and the group registry as tables for table-export.ts: Russian
// headers in the seeds' column order (журнал учёта онлайн-консультирования: №, дата,
// длительность, ребёнок, возраст, законный представитель, первичное/повторное, повод, тематика,
// примечание), then what the product adds.
import type { ConsultationState, JournalRow, RegistryEntry } from '@dp/protocol';
import { localDateOf } from '@dp/scheduling';
import type { ExportColumn, ExportTable } from '../export/table-export.ts';

export const TOPIC_RU: Record<string, string> = {
  family: 'Семейные проблемы',
  personal: 'Личностные проблемы',
  social_maladjustment: 'Социальная дезадаптация',
  interpersonal: 'Межличностные проблемы',
  learning: 'Проблемы в обучении',
  crisis: 'Кризисные ситуации',
  legal_aid: 'Правовая помощь',
};

export const FORM_RU: Record<NonNullable<JournalRow['form']>, string> = {
  online_video: 'Онлайн (видео)',
  online_audio: 'Онлайн (только звук)',
  phone: 'По телефону',
  email: 'По электронной почте',
};

export const STATE_RU: Record<ConsultationState, string> = {
  planned: 'Запланирована',
  precheck: 'Подготовка',
  open: 'Комната открыта',
  live: 'Идёт',
  ended: 'Состоялась',
  no_show: 'Неявка',
  failed: 'Технический сбой',
  cancelled: 'Отменена',
};

const RECURRENCE_RU = { first: 'Первичное', repeat: 'Повторное' } as const;
const QUALITY_RU = { good: 'Хорошая', fair: 'Удовлетворительная', poor: 'Плохая' } as const;
const PRECHECK_RU = { passed: 'Пройдена', failed: 'Не пройдена' } as const;

/** 'HH:mm' of an instant in the institution's zone. */
export function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** A local date 'YYYY-MM-DD' as a date cell (Excel's dates have no zone: UTC midnight of that day). */
const dateCell = (date: string): Date => new Date(`${date}T00:00:00Z`);

/** «10:00 / 10:03»: planned and actual start (actual «—» when it did not begin). */
export function startCell(row: Pick<JournalRow, 'plannedStart' | 'startedAt'>, timeZone: string): string {
  return `${localTime(row.plannedStart, timeZone)} / ${row.startedAt ? localTime(row.startedAt, timeZone) : '—'}`;
}

export function journalColumns(timeZone: string): ExportColumn<JournalRow>[] {
  return [
    { header: '№', type: 'integer', width: 6, value: (r) => r.number },
    { header: 'Дата', type: 'date', width: 12, value: (r) => dateCell(r.date) },
    { header: 'Время начала (план/факт)', type: 'text', width: 16, value: (r) => startCell(r, timeZone) },
    { header: 'Длительность, мин', type: 'integer', width: 12, value: (r) => r.durationMinutes },
    { header: 'Ребёнок', type: 'text', width: 24, value: (r) => (r.anonymous ? 'Анонимно' : r.childName) },
    { header: 'Возраст', type: 'integer', width: 8, value: (r) => r.childAge },
    { header: 'Законный представитель', type: 'text', width: 28, value: (r) => (r.anonymous ? 'Анонимно' : r.representativeName) },
    { header: 'Первичное/повторное', type: 'text', width: 14, value: (r) => (r.recurrence ? RECURRENCE_RU[r.recurrence] : null) },
    { header: 'Повод обращения', type: 'text', width: 40, value: (r) => r.reason },
    { header: 'Тематика', type: 'text', width: 24, value: (r) => (r.topic ? TOPIC_RU[r.topic] : null) },
    { header: 'Форма', type: 'text', width: 20, value: (r) => (r.form ? FORM_RU[r.form] : null) },
    { header: 'Примечание', type: 'text', width: 30, value: (r) => r.note },
    { header: 'Специалист', type: 'text', width: 28, value: (r) => r.specialists.join('; ') },
    { header: 'Участников', type: 'integer', width: 10, value: (r) => r.clientCount },
    { header: 'Предварительная проверка', type: 'text', width: 14, value: (r) => (r.precheck ? PRECHECK_RU[r.precheck] : null) },
    { header: 'Качество связи', type: 'text', width: 18, value: (r) => (r.quality ? QUALITY_RU[r.quality] : null) },
    { header: 'Переносов', type: 'integer', width: 10, value: (r) => r.reschedules },
    { header: 'Состояние', type: 'text', width: 18, value: (r) => STATE_RU[r.state] },
    { header: 'Протокол оформлен', type: 'text', width: 10, value: (r) => (r.protocolFinal ? 'Да' : 'Нет') },
  ];
}

export function journalTable(rows: readonly JournalRow[], timeZone: string): ExportTable<JournalRow> {
  return { sheet: 'Журнал консультаций', columns: journalColumns(timeZone), rows, timeZone };
}

/** The registry's header facts (one consultation) and its lines. */
export interface RegistrySheet {
  start: Date;
  timeZone: string;
  specialists: string[];
  topic: string | null;
  participants: RegistryEntry[];
}

const ROLE_RU: Record<string, string> = {
  client: 'Клиент',
  attendee: 'Участник',
  specialist: 'Специалист',
  host: 'Ведущий',
  cohost: 'Соведущий',
  curator: 'Куратор',
};

type RegistryLine = RegistryEntry & { n: number; sheet: RegistrySheet };

export function registryTable(s: RegistrySheet): ExportTable<RegistryLine> {
  const rows = s.participants.map((p, i) => ({ ...p, n: i + 1, sheet: s }));
  const at = (iso: string | null) => (iso ? new Date(iso) : null);
  return {
    sheet: 'Реестр участников',
    timeZone: s.timeZone,
    rows,
    columns: [
      { header: '№', type: 'integer', width: 6, value: (r) => r.n },
      { header: 'Дата', type: 'date', width: 12, value: (r) => dateCell(localDateOf(r.sheet.timeZone, r.sheet.start.getTime())) },
      { header: 'Специалист', type: 'text', width: 28, value: (r) => r.sheet.specialists.join('; ') },
      { header: 'Тема', type: 'text', width: 28, value: (r) => (r.sheet.topic ? (TOPIC_RU[r.sheet.topic] ?? r.sheet.topic) : null) },
      { header: 'Участник', type: 'text', width: 28, value: (r) => r.label || 'Анонимно' },
      { header: 'Роль', type: 'text', width: 12, value: (r) => ROLE_RU[r.role] ?? r.role },
      { header: 'Первый вход', type: 'datetime', width: 18, value: (r) => at(r.firstJoinedAt) },
      { header: 'Последний выход', type: 'datetime', width: 18, value: (r) => at(r.lastLeftAt) },
      { header: 'Минут в комнате', type: 'integer', width: 10, value: (r) => r.minutesPresent, total: true },
      { header: 'Входов', type: 'integer', width: 8, value: (r) => r.visits },
      { header: 'Примечание', type: 'text', width: 40, value: (r) => r.note },
    ],
  };
}
