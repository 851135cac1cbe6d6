import { Button, Group, Select, SimpleGrid, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { grantOf, staffRolesGranted } from '@dp/protocol';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { errorText, monthDaysIn } from '../format.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { useInstitutionChoice, useSpecialists } from '../list/institutions.ts';
import { InstitutionSelect, ListPage, useListLayout } from '../list/ListPage.tsx';
import { useServerList } from '../list/useServerList.ts';
import { JournalRows } from './JournalRows.tsx';

// `/journal` — the consultation journal (журнал учёта онлайн-консультирования): 50 rows a page
// by date, filled by the server from what happened; a specialist sees their own consultations,
// the head and the social workers the institution's (and may pick one specialist). The same
// rows download as Excel or CSV.

const JOURNAL_ROLES = staffRolesGranted('journal.consultations');

export function JournalPage() {
  return (
    <StaffPage roles={JOURNAL_ROLES} size={1440}>
      <Journal />
    </StaffPage>
  );
}

type Period = [string | null, string | null];

function Journal() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const role = session?.user.role ?? 'specialist';
  const own = grantOf('journal.consultations', role) === 'own';
  const { phone, narrow: cards } = useListLayout();
  const choice = useInstitutionChoice();
  const { institutions, institutionId, institution, error: institutionsError } = choice;
  const specialists = useSpecialists(institutionId, !own);
  // The period's days are the institution's local days (the server reads them so); until one is
  // chosen, the institution's current month (its calendar, not the browser's).
  const [chosen, setChosen] = useState<Period | null>(null);
  const [specialistId, setSpecialistId] = useState<string | null>(null);

  const zone = institution?.calendar.timeZone;
  const period: Period = chosen ?? (zone ? monthDaysIn(zone) : [null, null]);
  const [from, to] = period;
  const filter = useMemo(
    () => (from && to ? { from, to, ...(specialistId && !own ? { specialistId } : {}) } : null),
    [from, to, specialistId, own],
  );
  const query = useMemo(() => (institutionId && filter ? { institutionId, filter } : null), [institutionId, filter]);
  const list = useServerList(query, (q, page) =>
    api.call('journal.consultations', { institutionId: q.institutionId }, { ...q.filter, page }),
  );
  const { data } = list;
  // Field errors (an unknown specialist, a period the wrong way round) show on their fields, in
  // the screen's words (the server's are English).
  const fields = serverFieldErrors(list.error);
  const fieldError = {
    ...(fields?.from || fields?.to ? { period: t('journal.errors.period') } : {}),
    ...(fields?.specialistId ? { specialistId: t('journal.errors.specialist') } : {}),
  };
  const failure = fields ? institutionsError : (list.error ?? institutionsError);

  const timeZone = data?.timeZone ?? zone;
  const download = (format: 'xlsx' | 'csv') => (
    <Button
      key={format}
      component="a"
      size="md"
      variant={format === 'xlsx' ? 'filled' : 'default'}
      href={query ? api.href('journal.export', { institutionId: query.institutionId }, { ...query.filter, format }) : undefined}
      download
      disabled={!query || data?.total === 0}
      data-testid={`journal-download-${format}`}
    >
      {format === 'xlsx' ? t('journal.downloadXlsx') : t('journal.downloadCsv')}
    </Button>
  );

  return (
    <ListPage
      title={t('journal.title')}
      actions={<Group gap="sm">{(['xlsx', 'csv'] as const).map(download)}</Group>}
      filters={
        <>
          <DatesProvider settings={{ locale: i18n.language.startsWith('en') ? 'en' : 'ru', firstDayOfWeek: 1 }}>
            <SimpleGrid cols={{ base: 1, sm: own ? 1 : 2, md: institutions.length > 1 ? 3 : 2 }} spacing="md" maw={own ? 420 : undefined}>
              <InstitutionSelect choice={choice} label={t('journal.institution')} testId="journal-institution" />
              <DatePickerInput
                type="range"
                size="md"
                label={t('journal.period')}
                valueFormat={phone ? 'DD.MM.YYYY' : 'D MMMM YYYY'}
                value={period}
                onChange={(v) => setChosen(v as Period)}
                allowSingleDateInRange
                description={zone ? t('staffScreens.journalDays', { zone }) : undefined}
                error={fieldError.period}
                data-testid="journal-period"
              />
              {!own && (
                <Select
                  label={t('journal.specialist')}
                  placeholder={t('journal.anySpecialist')}
                  size="md"
                  clearable
                  searchable
                  data={specialists.map((s) => ({ value: s.id, label: s.displayName }))}
                  value={specialistId}
                  onChange={setSpecialistId}
                  error={fieldError.specialistId}
                  data-testid="journal-specialist"
                />
              )}
            </SimpleGrid>
          </DatesProvider>
          {!filter && (chosen || zone) && <Text c="gray.7">{t('journal.choosePeriod')}</Text>}
        </>
      }
      testId="journal"
      list={list}
      error={failure ? errorText(t, failure) : null}
      ready={query !== null}
      hideRows={fields !== null}
      texts={{
        loading: t('journal.loading'),
        empty: t('journal.empty'),
        shown: (range) => t('journal.shown', range),
        pages: t('journal.pages'),
      }}
      count={(d) => d.rows.length}
      rows={(d) => <JournalRows rows={d.rows} timeZone={timeZone} cards={cards} />}
    />
  );
}
