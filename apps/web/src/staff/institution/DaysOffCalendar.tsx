import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { DatePicker, DatesProvider } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import type { InstitutionCalendarYear } from '@dp/protocol';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import classes from './DaysOffCalendar.module.css';

const yearOf = (date: string) => Number(date.slice(0, 4));

/**
 * The institution's own days off on a calendar (click a day to mark or clear it), with the
 * national production calendar of the shown years marked and not editable: holidays and
 * transferred days off, shortened pre-holiday days, worked Saturdays. For a year whose decree
 * is not shipped, a notice says so and lets the admin or head confirm the year's days off.
 */
export function DaysOffCalendar({
  institutionId,
  today,
  value,
  onChange,
  error,
}: {
  institutionId: string;
  /** 'YYYY-MM-DD' in the institution's zone: the month shown first, and the years noticed. */
  today: string;
  value: string[];
  onChange: (dates: string[]) => void;
  error?: string | undefined;
}) {
  const { t, i18n } = useTranslation();
  const wide = useMediaQuery('(min-width: 62em)', false);
  const [shown, setShown] = useState(today);
  const [years, setYears] = useState<Record<number, InstitutionCalendarYear>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);

  const thisYear = yearOf(today);
  const wanted = useMemo(() => {
    const first = yearOf(shown);
    // Three months are shown side by side on a wide screen: they may reach into the next year.
    return [...new Set([thisYear, thisYear + 1, first, first + (wide ? 1 : 0)])].sort();
  }, [shown, thisYear, wide]);

  useEffect(() => {
    setYears({});
  }, [institutionId]);

  useEffect(() => {
    const missing = wanted.filter((y) => !years[y]);
    if (missing.length === 0) return;
    let live = true;
    Promise.all(missing.map((year) => api.call('institutions.calendar', { institutionId }, { year }))).then(
      (found) => {
        if (!live) return;
        setYears((all) => ({ ...all, ...Object.fromEntries(found.map((y) => [y.year, y])) }));
        setLoadError(null);
      },
      (e: unknown) => live && setLoadError(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [wanted, years, institutionId, t]);

  const national = useMemo(() => {
    const off = new Set<string>();
    const short = new Set<string>();
    const worked = new Set<string>();
    for (const y of Object.values(years)) {
      y.nationalDaysOff.forEach((d) => off.add(d));
      y.shortDays.forEach((d) => short.add(d));
      y.workedWeekendDays.forEach((d) => worked.add(d));
    }
    return { off, short, worked };
  }, [years]);

  const confirm = useCallback(
    async (year: number) => {
      setConfirming(year);
      try {
        const answer = await api.call('institutions.confirm_calendar_year', { institutionId, year });
        setYears((all) => ({ ...all, [year]: answer }));
      } catch (e) {
        setLoadError(errorText(t, e));
      } finally {
        setConfirming(null);
      }
    },
    [institutionId, t],
  );

  const dayLabel = (date: string) => {
    const words = new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${date}T00:00:00Z`),
    );
    const what = national.off.has(date)
      ? t('institutionSettings.calendar.nationalDay')
      : value.includes(date)
        ? t('institutionSettings.calendar.ownDay')
        : national.short.has(date)
          ? t('institutionSettings.calendar.shortDay')
          : national.worked.has(date)
            ? t('institutionSettings.calendar.workedDay')
            : '';
    return what ? `${words}: ${what}` : words;
  };

  const notices = wanted
    .filter((y) => y >= thisYear)
    .map((y) => years[y])
    .filter((y): y is InstitutionCalendarYear => y !== undefined);

  return (
    <Stack gap="sm">
      {notices.map((y) =>
        y.shipped ? (
          <Text key={y.year} size="sm" c="dimmed" data-testid={`settings-year-${y.year}-shipped`}>
            {t('institutionSettings.calendar.shipped', { year: y.year, decree: y.decree })}
          </Text>
        ) : y.confirmed ? (
          <Alert key={y.year} color="teal" data-testid={`settings-year-${y.year}-confirmed`}>
            {t('institutionSettings.calendar.confirmed', { year: y.year })}
          </Alert>
        ) : (
          <Alert
            key={y.year}
            color="orange"
            title={t('institutionSettings.calendar.unknownTitle', { year: y.year })}
            data-testid={`settings-year-${y.year}-unknown`}
          >
            <Stack gap="sm">
              <Text size="md">{t('institutionSettings.calendar.unknownText', { year: y.year })}</Text>
              <Group>
                <Button
                  size="md"
                  variant="default"
                  h="auto"
                  py={8}
                  styles={{ label: { whiteSpace: 'normal', textAlign: 'start' } }}
                  loading={confirming === y.year}
                  onClick={() => void confirm(y.year)}
                  data-testid={`settings-confirm-year-${y.year}`}
                >
                  {t('institutionSettings.calendar.confirm', { year: y.year })}
                </Button>
              </Group>
            </Stack>
          </Alert>
        ),
      )}
      {loadError && (
        <Alert color="red" role="alert">
          {loadError}
        </Alert>
      )}
      <Group gap="lg" wrap="wrap" aria-hidden="true">
        <Group gap={6} wrap="nowrap">
          <span className={`${classes.legend} ${classes.legendNational}`} />
          <Text size="sm">{t('institutionSettings.calendar.legendNational')}</Text>
        </Group>
        <Group gap={6} wrap="nowrap">
          <span className={`${classes.legend} ${classes.legendShort}`} />
          <Text size="sm">{t('institutionSettings.calendar.legendShort')}</Text>
        </Group>
        <Group gap={6} wrap="nowrap">
          <span className={`${classes.legend} ${classes.legendOwn}`} />
          <Text size="sm">{t('institutionSettings.calendar.legendOwn')}</Text>
        </Group>
      </Group>
      <DatesProvider settings={{ locale: i18n.language.startsWith('en') ? 'en' : 'ru', firstDayOfWeek: 1 }}>
        <DatePicker
          type="multiple"
          size="md"
          value={value}
          onChange={(dates) => onChange([...dates].sort())}
          date={shown}
          onDateChange={setShown}
          numberOfColumns={wide ? 3 : 1}
          hideOutsideDates
          maxLevel="year"
          excludeDate={(date) => national.off.has(date)}
          getDayProps={(date) => ({
            className: national.off.has(date)
              ? classes.national
              : national.short.has(date)
                ? classes.short
                : national.worked.has(date)
                  ? classes.worked
                  : undefined,
          })}
          getDayAriaLabel={dayLabel}
          classNames={{ day: classes.day }}
          ariaLabels={{
            previousMonth: t('institutionSettings.calendar.previousMonth'),
            nextMonth: t('institutionSettings.calendar.nextMonth'),
            previousYear: t('institutionSettings.calendar.previousYear'),
            nextYear: t('institutionSettings.calendar.nextYear'),
          }}
          data-testid="settings-days-off"
        />
      </DatesProvider>
      {error && (
        <Text c="red.8" size="sm" role="alert" data-testid="settings-days-off-error">
          {error}
        </Text>
      )}
    </Stack>
  );
}
