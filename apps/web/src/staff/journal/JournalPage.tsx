import { Alert, Button, Group, Loader, Pagination, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { grantOf, staffRolesGranted, type Institution, type JournalPage as Page, type StaffMember } from '@dp/protocol';
import dayjs from 'dayjs';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { errorText } from '../format.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
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

/** This month, from its first day to its last (the browser's calendar). */
function thisMonth(): Period {
  const now = dayjs();
  return [now.startOf('month').format('YYYY-MM-DD'), now.endOf('month').format('YYYY-MM-DD')];
}

function Journal() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const role = session?.user.role ?? 'specialist';
  const own = grantOf('journal.consultations', role) === 'own';
  const cards = useMediaQuery('(max-width: 64em)') ?? false;
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [institutions, setInstitutions] = useState<Institution[]>([]);
  const [institutionId, setInstitutionId] = useState<string | null>(session?.user.institutionId ?? null);
  const [specialists, setSpecialists] = useState<StaffMember[]>([]);
  const [period, setPeriod] = useState<Period>(thisMonth);
  const [specialistId, setSpecialistId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<Record<string, string>>({});

  useEffect(() => {
    api.call('institutions.list', {}).then(
      (l) => {
        setInstitutions(l.institutions);
        setInstitutionId((id) => id ?? l.institutions[0]?.id ?? null);
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [t]);

  useEffect(() => {
    if (!institutionId || own) return;
    api.call('staff.list', { institutionId }, { role: 'specialist' }).then(
      (l) => setSpecialists(l.staff.filter((s) => s.active).sort((a, b) => a.displayName.localeCompare(b.displayName, 'ru'))),
      () => setSpecialists([]),
    );
  }, [institutionId, own]);

  const [from, to] = period;
  const filter = useMemo(
    () => (from && to ? { from, to, ...(specialistId && !own ? { specialistId } : {}) } : null),
    [from, to, specialistId, own],
  );
  // A new filter starts again at the first page.
  useEffect(() => setPage(1), [filter]);

  useEffect(() => {
    if (!institutionId || !filter) return;
    let live = true;
    setBusy(true);
    api.call('journal.consultations', { institutionId }, { ...filter, page }).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setFieldError({});
        setBusy(false);
      },
      (e: unknown) => {
        if (!live) return;
        // Field errors (an unknown specialist, a period the wrong way round) show on their fields.
        const fields = serverFieldErrors(e);
        if (fields) {
          // The server's words are English: the screen says it in its own.
          setFieldError({
            ...(fields.from || fields.to ? { period: t('journal.errors.period') } : {}),
            ...(fields.specialistId ? { specialistId: t('journal.errors.specialist') } : {}),
          });
          setData(null);
        } else setError(errorText(t, e));
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [institutionId, filter, page, t]);

  const institution = institutions.find((i) => i.id === institutionId);
  const timeZone = data?.timeZone ?? institution?.calendar.timeZone;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const download = (format: 'xlsx' | 'csv') =>
    institutionId && filter ? api.href('journal.export', { institutionId }, { ...filter, format }) : undefined;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Title order={1}>{t('journal.title')}</Title>
        <Group gap="sm">
          <Button
            component="a"
            size="md"
            href={download('xlsx')}
            download
            disabled={!filter || data?.total === 0}
            data-testid="journal-download-xlsx"
          >
            {t('journal.downloadXlsx')}
          </Button>
          <Button
            component="a"
            size="md"
            variant="default"
            href={download('csv')}
            download
            disabled={!filter || data?.total === 0}
            data-testid="journal-download-csv"
          >
            {t('journal.downloadCsv')}
          </Button>
        </Group>
      </Group>
      <DatesProvider settings={{ locale: i18n.language.startsWith('en') ? 'en' : 'ru', firstDayOfWeek: 1 }}>
        <SimpleGrid cols={{ base: 1, sm: own ? 1 : 2, md: institutions.length > 1 ? 3 : 2 }} spacing="md" maw={own ? 420 : undefined}>
          {institutions.length > 1 && (
            <Select
              label={t('journal.institution')}
              size="md"
              data={institutions.map((i) => ({ value: i.id, label: i.name }))}
              value={institutionId}
              onChange={(v) => v && setInstitutionId(v)}
              allowDeselect={false}
              data-testid="journal-institution"
            />
          )}
          <DatePickerInput
            type="range"
            size="md"
            label={t('journal.period')}
            valueFormat={phone ? 'DD.MM.YYYY' : 'D MMMM YYYY'}
            value={period}
            onChange={(v) => setPeriod(v as Period)}
            allowSingleDateInRange
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
      {!filter && <Text c="gray.7">{t('journal.choosePeriod')}</Text>}
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
      {filter && !data && !error && (
        <Group gap="sm">
          <Loader size="sm" />
          <Text>{t('journal.loading')}</Text>
        </Group>
      )}
      {filter && data && data.total === 0 && (
        <Text c="gray.7" data-testid="journal-empty">
          {t('journal.empty')}
        </Text>
      )}
      {filter && data && data.total > 0 && (
        <>
          <Text c="gray.7" aria-live="polite" data-testid="journal-shown">
            {t('journal.shown', {
              from: (data.page - 1) * data.pageSize + 1,
              to: (data.page - 1) * data.pageSize + data.rows.length,
              total: data.total,
            })}
          </Text>
          <div aria-busy={busy}>
            <JournalRows rows={data.rows} timeZone={timeZone} cards={cards} />
          </div>
          {pages > 1 && (
            <nav aria-label={t('journal.pages')}>
              <Pagination
                total={pages}
                value={page}
                onChange={setPage}
                size={phone ? 'md' : 'lg'}
                getControlProps={(control) => ({ 'aria-label': t(`requests.pageControl.${control}`) })}
                siblings={phone ? 0 : 1}
                data-testid="journal-pages"
              />
            </nav>
          )}
        </>
      )}
    </Stack>
  );
}
