import { Alert, Button, Group, Loader, Modal, Pagination, Select, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  grantOf,
  staffRolesGranted,
  type Institution,
  type JournalRequest,
  type RequestList as RequestPage,
  type StaffMember,
} from '@dp/protocol';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { NewRequestForm } from './NewRequestForm.tsx';
import { RefuseForm, ResultForm } from './RequestDialogs.tsx';
import { NO_FILTERS, RequestFilters, type JournalFilters } from './RequestFilters.tsx';
import { RequestList } from './RequestList.tsx';

// `/requests` — the request journal (журнал регистрации обращений): 50 rows a page from the
// server, newest first, filtered and searched there; a specialist sees their own requests.

const JOURNAL_ROLES = staffRolesGranted('requests.list');

export function RequestsPage() {
  return (
    <StaffPage roles={JOURNAL_ROLES} size={1440}>
      <Journal />
    </StaffPage>
  );
}

/** Local midnight of a 'YYYY-MM-DD' day (plus `days`) as an ISO instant. */
function dayStart(date: string, days = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).toISOString();
}

type Dialog = { kind: 'new' } | { kind: 'refuse'; request: JournalRequest } | { kind: 'result'; request: JournalRequest };

function Journal() {
  const { t } = useTranslation();
  const { session } = useSession();
  const user = session?.user;
  const role = user?.role ?? 'specialist';
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const narrow = useMediaQuery('(max-width: 64em)') ?? false;
  const [institutions, setInstitutions] = useState<Institution[]>([]);
  const [institutionId, setInstitutionId] = useState<string | null>(user?.institutionId ?? null);
  const [specialists, setSpecialists] = useState<StaffMember[]>([]);
  const [filters, setFilters] = useState<JournalFilters>(NO_FILTERS);
  const [q] = useDebouncedValue(filters.q.trim(), 350);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<RequestPage | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const canCreate = grantOf('requests.create', role) !== null;
  const canUpdate = grantOf('requests.update', role) !== null;
  const own = grantOf('requests.list', role) === 'own';

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
    if (!institutionId) return;
    api.call('staff.list', { institutionId }, { role: 'specialist' }).then(
      (l) => setSpecialists(l.staff.filter((s) => s.active).sort((a, b) => a.displayName.localeCompare(b.displayName, 'ru'))),
      () => setSpecialists([]),
    );
  }, [institutionId]);

  const query = useMemo(
    () => ({
      from: dayStart(filters.from),
      to: dayStart(filters.to, 1),
      status: filters.status ?? undefined,
      responsibleSpecialistId: own ? undefined : (filters.specialistId ?? undefined),
      channel: filters.channel ?? undefined,
      overdue: filters.overdue ? ('true' as const) : undefined,
      q: q || undefined,
    }),
    [filters.from, filters.to, filters.status, filters.specialistId, filters.channel, filters.overdue, q, own],
  );
  // A new filter starts again at the first page.
  useEffect(() => setPage(1), [query]);

  const load = useCallback(async () => {
    if (!institutionId) return;
    setBusy(true);
    try {
      setData(await api.call('requests.list', { institutionId }, { ...query, page }));
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }, [institutionId, query, page, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const names = useMemo(() => new Map(specialists.map((s) => [s.id, s.displayName])), [specialists]);
  const institution = institutions.find((i) => i.id === institutionId);
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const done = (message: string) => {
    setDialog(null);
    notifications.show({ color: 'teal', message });
    void load();
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Title order={1}>{t('requests.title')}</Title>
        {canCreate && institutionId && (
          <Button size="md" onClick={() => setDialog({ kind: 'new' })} data-testid="requests-new">
            {t('requests.new')}
          </Button>
        )}
      </Group>
      {institutions.length > 1 && (
        <Select
          label={t('requests.institution')}
          size="md"
          maw={480}
          data={institutions.map((i) => ({ value: i.id, label: i.name }))}
          value={institutionId}
          onChange={(v) => v && setInstitutionId(v)}
          allowDeselect={false}
          data-testid="requests-institution"
        />
      )}
      <RequestFilters value={filters} onChange={setFilters} specialists={specialists} showSpecialist={!own} collapsible={phone} />
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
      {!data && !error && (
        <Group gap="sm">
          <Loader size="sm" />
          <Text>{t('requests.loading')}</Text>
        </Group>
      )}
      {data && data.total === 0 && <Text c="gray.7">{t('requests.empty')}</Text>}
      {data && data.total > 0 && (
        <>
          <Text c="gray.7" aria-live="polite" data-testid="requests-shown">
            {t('requests.shown', {
              from: (data.page - 1) * data.pageSize + 1,
              to: (data.page - 1) * data.pageSize + data.requests.length,
              total: data.total,
            })}
          </Text>
          <div aria-busy={busy}>
            <RequestList
              requests={data.requests}
              names={names}
              now={data.now}
              dueSoonBefore={data.dueSoonBefore}
              timeZone={institution?.calendar.timeZone}
              cards={narrow}
              canUpdate={canUpdate}
              onRefuse={(request) => setDialog({ kind: 'refuse', request })}
              onResult={(request) => setDialog({ kind: 'result', request })}
            />
          </div>
          {pages > 1 && (
            <nav aria-label={t('requests.pages')}>
              <Pagination
                total={pages}
                value={page}
                onChange={setPage}
                size={phone ? 'md' : 'lg'}
                getControlProps={(control) => ({ 'aria-label': t(`requests.pageControl.${control}`) })}
                siblings={phone ? 0 : 1}
                data-testid="requests-pages"
              />
            </nav>
          )}
        </>
      )}
      <Modal
        opened={dialog !== null}
        onClose={() => setDialog(null)}
        size="lg"
        centered
        fullScreen={phone}
        closeButtonProps={{ 'aria-label': t('requests.close') }}
        title={
          dialog?.kind === 'new'
            ? t('requests.new')
            : dialog?.kind === 'refuse'
              ? t('requests.refuse.title', { number: dialog.request.number })
              : dialog?.kind === 'result'
                ? t('requests.result.title', { number: dialog.request.number })
                : null
        }
        data-testid="requests-dialog"
      >
        {dialog?.kind === 'new' && institutionId && (
          <NewRequestForm
            institutionId={institutionId}
            specialists={specialists}
            onCancel={() => setDialog(null)}
            onCreated={(r) => done(t('requests.form.saved', { number: r.number }))}
          />
        )}
        {dialog?.kind === 'refuse' && institutionId && (
          <RefuseForm
            institutionId={institutionId}
            request={dialog.request}
            onCancel={() => setDialog(null)}
            onDone={(r) => done(t('requests.refuse.done', { number: r.number }))}
          />
        )}
        {dialog?.kind === 'result' && institutionId && (
          <ResultForm
            institutionId={institutionId}
            request={dialog.request}
            onCancel={() => setDialog(null)}
            onDone={() => done(t('requests.result.done'))}
          />
        )}
      </Modal>
    </Stack>
  );
}
