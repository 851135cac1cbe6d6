import { Alert, Button, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { DatePicker, DatesProvider } from '@mantine/dates';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { localDate, localTime, monthOf, monthRange, nextMonth, slotsByDay } from './slot-time.ts';
import classes from './booking.module.css';

export interface SlotPickerProps {
  institutionId: string;
  specialistId: string;
  durationMinutes: number;
  /** The chosen start (a UTC instant from the server's free slots), or null. */
  value: string | null;
  onChange: (start: string | null) => void;
  /** Change it to load the slots again (after «Это время только что заняли»). */
  reloadKey?: number;
  /** Tells the page the institution's zone once the slots say it. */
  onTimeZone?: (timeZone: string) => void;
  /** `phone`: a consultation by telephone needs no free pre-check window before it. */
  form?: 'online' | 'phone';
}

/**
 * The one slot picker (booking, moves, a new time after a technical failure): a month calendar
 * where only days with free time can be chosen, then the free starts of that day as large
 * buttons — in the institution's time, as the server's free slots count them (approved
 * schedules, working hours, lunch, holidays, the 30-minute pre-check).
 */
export function SlotPicker({
  institutionId,
  specialistId,
  durationMinutes,
  value,
  onChange,
  reloadKey = 0,
  onTimeZone,
  form = 'online',
}: SlotPickerProps) {
  const { t, i18n } = useTranslation();
  const [month, setMonth] = useState(() => monthOf(new Date().toISOString().slice(0, 10)));
  const [slots, setSlots] = useState<{ timeZone: string; byDay: Map<string, string[]> } | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [advanced, setAdvanced] = useState(false);

  const load = useCallback(
    async (signal: AbortSignal) => {
      setSlots(null);
      setError(null);
      try {
        const range = monthRange(month, new Date());
        const query = { ...range, durationMinutes, ...(form === 'phone' ? { form } : {}) };
        const res = await api.call('schedules.free_slots', { institutionId, specialistId }, query, { signal });
        const all = slotsByDay(res.slots, res.timeZone);
        const inMonth = new Map([...all].filter(([d]) => monthOf(d) === month));
        setSlots({ timeZone: res.timeZone, byDay: inMonth });
        onTimeZone?.(res.timeZone);
      } catch (e) {
        if (!signal.aborted) setError(errorText(t, e));
      }
    },
    [institutionId, specialistId, durationMinutes, month, t, onTimeZone, form],
  );

  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load, reloadKey]);

  // Late in a month there is often nothing left in it: show the next one once, by itself.
  useEffect(() => {
    if (slots && slots.byDay.size === 0 && !advanced) {
      setAdvanced(true);
      setMonth(nextMonth(month));
    }
  }, [slots, advanced, month]);

  // The chosen day (and time) stay only while they are still free.
  const times = day && slots ? (slots.byDay.get(day) ?? []) : [];
  useEffect(() => {
    if (!slots) return;
    if (day && !slots.byDay.has(day)) setDay(null);
    if (value && !(slots.byDay.get(localDate(value, slots.timeZone)) ?? []).includes(value)) onChange(null);
  }, [slots, day, value, onChange]);

  const lang = i18n.language.startsWith('en') ? 'en' : 'ru';
  const dayName = (d: string) =>
    new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));

  return (
    <Stack gap="md">
      <DatesProvider settings={{ locale: lang, firstDayOfWeek: 1 }}>
        <div className={classes.calendar}>
          <DatePicker
            size="md"
            value={day}
            onChange={(d) => {
              setDay(d);
              onChange(null);
            }}
            date={month}
            onDateChange={(d) => setMonth(monthOf(d))}
            maxLevel="month"
            nextLabel={t('booking.picker.nextMonth')}
            previousLabel={t('booking.picker.previousMonth')}
            // The institution's days off are simply not offered; weekends are not painted red.
            weekendDays={[]}
            excludeDate={(d) => !slots?.byDay.has(d)}
            getDayProps={(d) => ({
              'data-testid': 'booking-day',
              'data-date': d,
              'data-free': slots?.byDay.has(d) ? 'true' : undefined,
              className: slots?.byDay.has(d) ? classes.freeDay : undefined,
            })}
            aria-label={t('booking.picker.calendar')}
          />
        </div>
      </DatesProvider>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!slots && !error && (
        <Group gap="xs" role="status">
          <Loader size="sm" />
          <Text>{t('booking.picker.loading')}</Text>
        </Group>
      )}
      {slots && slots.byDay.size === 0 && <Text data-testid="booking-no-slots">{t('booking.picker.noneInMonth')}</Text>}
      {slots && slots.byDay.size > 0 && !day && <Text c="gray.7">{t('booking.picker.chooseDay')}</Text>}
      {slots && day && (
        <Stack gap="xs">
          <Text fw={600}>{t('booking.picker.timesOf', { day: dayName(day) })}</Text>
          <SimpleGrid cols={{ base: 3, xs: 4, sm: 6 }} spacing="xs" role="group" aria-label={t('booking.picker.times')}>
            {times.map((s) => {
              const hhmm = localTime(s, slots.timeZone);
              const chosen = s === value;
              return (
                <Button
                  key={s}
                  size="lg"
                  px="xs"
                  variant={chosen ? 'filled' : 'default'}
                  aria-pressed={chosen}
                  onClick={() => onChange(s)}
                  data-testid="booking-slot"
                  data-time={hhmm}
                >
                  {hhmm}
                </Button>
              );
            })}
          </SimpleGrid>
          <Text size="sm" c="gray.7">
            {t('booking.picker.zone', { zone: slots.timeZone })}
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
