import { Group, Text, VisuallyHidden } from '@mantine/core';
import { Calendar, DatesProvider } from '@mantine/dates';
import type { ScheduleBlock } from '@dp/protocol';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { blocksOn, dayHours, dayText } from './schedule-blocks.ts';
import classes from './schedules.module.css';

/**
 * A month of the schedule on @mantine/dates' Calendar (its own header hidden: the page has
 * the month switcher): each day shows its hours; a click opens the day's editor.
 */
export function ScheduleCalendar({
  month,
  blocks,
  changed,
  isDayOff,
  selected,
  onSelect,
}: {
  month: string;
  blocks: readonly ScheduleBlock[];
  /** Days a pending correction (or unsaved edits) change. */
  changed: ReadonlySet<string>;
  isDayOff: (date: string) => boolean;
  selected: string | null;
  onSelect: (date: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const byDate = useMemo(() => {
    const map = new Map<string, ScheduleBlock[]>();
    for (const b of blocks) map.set(b.date, blocksOn(blocks, b.date));
    return map;
  }, [blocks]);

  const dateWords = (date: string) =>
    new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'long', weekday: 'long', timeZone: 'UTC' }).format(
      new Date(`${date}T00:00:00Z`),
    );

  const ariaLabel = (date: string) => {
    const day = byDate.get(date) ?? [];
    const parts = [
      dateWords(date),
      day.length > 0 ? dayText(day) : isDayOff(date) ? t('schedules.legend.dayOff') : t('schedules.day.none'),
    ];
    if (changed.has(date)) parts.push(t('schedules.legend.changed'));
    return parts.join(': ');
  };

  return (
    <>
      <DatesProvider settings={{ locale: i18n.language.startsWith('en') ? 'en' : 'ru', firstDayOfWeek: 1 }}>
        <Calendar
          date={`${month}-01`}
          maxLevel="month"
          fullWidth
          size="md"
          hideOutsideDates
          highlightToday
          classNames={{ calendarHeader: classes.header, day: classes.day }}
          getDayProps={(date) => {
            const has = (byDate.get(date)?.length ?? 0) > 0;
            const cls = [has ? classes.withBlocks : isDayOff(date) ? classes.dayOff : '', changed.has(date) ? classes.changed : '']
              .filter(Boolean)
              .join(' ');
            return {
              selected: date === selected,
              onClick: () => onSelect(date),
              // The name is the cell's own text (number, hours, and the hidden description below).
              'aria-label': undefined,
              className: cls || undefined,
              'data-testid': `schedule-day-${date}`,
            };
          }}
          renderDay={(date) => {
            const hours = dayHours(byDate.get(date) ?? []);
            return (
              <div className={classes.dayInner}>
                <span>{Number(date.slice(8))}</span>
                {hours > 0 && <span className={classes.hours}>{t('schedules.hours', { hours })}</span>}
                <VisuallyHidden>{ariaLabel(date)}</VisuallyHidden>
              </div>
            );
          }}
          data-testid="schedule-calendar"
        />
      </DatesProvider>
      <Group gap="lg" wrap="wrap" aria-hidden="true">
        <Group gap={6} wrap="nowrap">
          <span className={`${classes.legend} ${classes.withBlocks}`} />
          <Text size="sm">{t('schedules.legend.blocks')}</Text>
        </Group>
        <Group gap={6} wrap="nowrap">
          <span className={`${classes.legend} ${classes.dayOff}`} />
          <Text size="sm">{t('schedules.legend.dayOff')}</Text>
        </Group>
        {changed.size > 0 && (
          <Group gap={6} wrap="nowrap">
            <span className={`${classes.legend} ${classes.changed}`} />
            <Text size="sm">{t('schedules.legend.changed')}</Text>
          </Group>
        )}
      </Group>
    </>
  );
}
