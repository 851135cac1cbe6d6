import { ActionIcon, Alert, Group, Select, Stack, Text, Title } from '@mantine/core';
import type { Institution, InstitutionCalendarYear, StaffMember } from '@dp/protocol';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { StaffPage } from '../StaffPage.tsx';
import { useSignedIn } from '../session.tsx';
import { ScheduleMonth } from './ScheduleMonth.tsx';
import { defaultMonth, shiftMonth, todayIn } from './schedule-blocks.ts';
import classes from './schedules.module.css';

/** `/schedules` — the specialists' monthly schedule: a head or admin chooses the specialist, a specialist sees their own. */
export function SchedulesPage() {
  return (
    <StaffPage size={1100} roles={['admin', 'head', 'specialist']}>
      <Schedules />
    </StaffPage>
  );
}

/** Luxon-style weekday (1 = Monday … 7 = Sunday) of 'YYYY-MM-DD'. */
const weekdayOf = (date: string) => String(new Date(`${date}T00:00:00Z`).getUTCDay() || 7) as '1' | '2' | '3' | '4' | '5' | '6' | '7';

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function Schedules() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const approver = session.user.role === 'head' || session.user.role === 'admin';
  const [institutions, setInstitutions] = useState<Institution[] | null>(null);
  const [institutionId, setInstitutionId] = useState<string | null>(session.user.institutionId);
  const [institution, setInstitution] = useState<Institution | null>(null);
  const [specialists, setSpecialists] = useState<StaffMember[] | null>(null);
  const [specialistId, setSpecialistId] = useState<string | null>(approver ? null : session.user.id);
  const [month, setMonth] = useState<string | null>(null);
  const [years, setYears] = useState<Record<number, InstitutionCalendarYear>>({});
  const [error, setError] = useState<string | null>(null);

  // A department's admin chooses the institution first.
  useEffect(() => {
    if (session.user.institutionId) return;
    api.call('institutions.list', {}).then(
      (r) => {
        setInstitutions(r.institutions);
        setInstitutionId((id) => id ?? r.institutions[0]?.id ?? null);
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [session.user.institutionId, t]);

  useEffect(() => {
    if (!institutionId) return;
    let live = true;
    setInstitution(null);
    setYears({});
    api.call('institutions.get', { institutionId }).then(
      (inst) => {
        if (!live) return;
        setInstitution(inst);
        setMonth((m) => m ?? defaultMonth(todayIn(inst.calendar.timeZone), approver));
      },
      (e: unknown) => live && setError(errorText(t, e)),
    );
    if (approver) {
      setSpecialists(null);
      api.call('staff.list', { institutionId }, { role: 'specialist' }).then(
        (r) => {
          if (!live) return;
          const active = r.staff.filter((s) => s.active);
          setSpecialists(active);
          setSpecialistId((id) => (id && active.some((s) => s.id === id) ? id : (active[0]?.id ?? null)));
        },
        (e: unknown) => live && setError(errorText(t, e)),
      );
    }
    return () => {
      live = false;
    };
  }, [institutionId, approver, t]);

  // The national days off of the shown year (holidays, transferred days): marked on the calendar.
  const year = month ? Number(month.slice(0, 4)) : null;
  useEffect(() => {
    if (!institutionId || year === null || years[year]) return;
    let live = true;
    api.call('institutions.calendar', { institutionId }, { year }).then(
      (y) => live && setYears((all) => ({ ...all, [y.year]: y })),
      () => undefined, // the marks are a help: the schedule works without them
    );
    return () => {
      live = false;
    };
  }, [institutionId, year, years]);

  const isDayOff = useCallback(
    (date: string) => {
      if (!institution) return false;
      const cal = institution.calendar;
      const national = years[Number(date.slice(0, 4))];
      if (cal.daysOff.includes(date) || national?.nationalDaysOff.includes(date)) return true;
      if (cal.extraWorkingDays.includes(date) || national?.workedWeekendDays.includes(date)) return false;
      return cal.week[weekdayOf(date)] === null;
    },
    [institution, years],
  );

  const monthTitle = useMemo(
    () =>
      month
        ? capitalized(
            new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
              new Date(`${month}-01T00:00:00Z`),
            ),
          )
        : '',
    [month, i18n.language],
  );

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('schedules.title')}
      </Title>
      <Text c="dimmed">{t('schedules.intro')}</Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group gap="md" align="flex-end" wrap="wrap">
        {institutions && (
          <Select
            label={t('schedules.institution')}
            size="md"
            data={institutions.map((i) => ({ value: i.id, label: i.name }))}
            value={institutionId}
            onChange={(id) => id && setInstitutionId(id)}
            allowDeselect={false}
            data-testid="schedule-institution"
            w={{ base: '100%', sm: 320 }}
          />
        )}
        {approver && specialists && specialists.length > 0 && (
          <Select
            label={t('schedules.specialist')}
            size="md"
            data={specialists.map((s) => ({
              value: s.id,
              label: s.specialist ? `${s.displayName} — ${s.specialist.title}` : s.displayName,
            }))}
            value={specialistId}
            onChange={(id) => id && setSpecialistId(id)}
            allowDeselect={false}
            searchable
            data-testid="schedule-specialist"
            w={{ base: '100%', sm: 360 }}
          />
        )}
        {month && (
          <Group gap="xs" wrap="nowrap">
            <ActionIcon
              variant="default"
              size={42}
              aria-label={t('schedules.prevMonth')}
              onClick={() => setMonth(shiftMonth(month, -1))}
              data-testid="schedule-month-prev"
            >
              ‹
            </ActionIcon>
            <Text fw={700} size="lg" className={classes.monthTitle} aria-live="polite" data-testid="schedule-month">
              {monthTitle}
            </Text>
            <ActionIcon
              variant="default"
              size={42}
              aria-label={t('schedules.nextMonth')}
              onClick={() => setMonth(shiftMonth(month, 1))}
              data-testid="schedule-month-next"
            >
              ›
            </ActionIcon>
          </Group>
        )}
      </Group>
      {approver && specialists?.length === 0 && <Text>{t('schedules.noSpecialists')}</Text>}
      {institution && institutionId && specialistId && month && (
        <ScheduleMonth
          key={`${institutionId}/${specialistId}/${month}`}
          institutionId={institutionId}
          specialistId={specialistId}
          month={month}
          timeZone={institution.calendar.timeZone}
          approver={approver}
          isDayOff={isDayOff}
        />
      )}
    </Stack>
  );
}
