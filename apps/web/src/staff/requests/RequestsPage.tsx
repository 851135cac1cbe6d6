import { Button, Modal } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { grantOf, staffRolesGranted, type JournalRequest } from '@dp/protocol';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { useInstitutionChoice, useSpecialists } from '../list/institutions.ts';
import { InstitutionSelect, ListPage, useListLayout } from '../list/ListPage.tsx';
import { useServerList } from '../list/useServerList.ts';
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
  const role = session?.user.role ?? 'specialist';
  const { phone, narrow } = useListLayout();
  const choice = useInstitutionChoice();
  const { institutionId, institution, error: institutionsError } = choice;
  const specialists = useSpecialists(institutionId);
  const [filters, setFilters] = useState<JournalFilters>(NO_FILTERS);
  const [q] = useDebouncedValue(filters.q.trim(), 350);
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const canCreate = grantOf('requests.create', role) !== null;
  const canUpdate = grantOf('requests.update', role) !== null;
  const own = grantOf('requests.list', role) === 'own';

  const query = useMemo(
    () =>
      institutionId
        ? {
            institutionId,
            from: dayStart(filters.from),
            to: dayStart(filters.to, 1),
            status: filters.status ?? undefined,
            responsibleSpecialistId: own ? undefined : (filters.specialistId ?? undefined),
            channel: filters.channel ?? undefined,
            overdue: filters.overdue ? ('true' as const) : undefined,
            q: q || undefined,
          }
        : null,
    [institutionId, filters.from, filters.to, filters.status, filters.specialistId, filters.channel, filters.overdue, q, own],
  );
  const list = useServerList(query, ({ institutionId: id, ...rest }, page) =>
    api.call('requests.list', { institutionId: id }, { ...rest, page }),
  );
  const failure = list.error ?? institutionsError;

  const names = useMemo(() => new Map(specialists.map((s) => [s.id, s.displayName])), [specialists]);
  const done = (message: string) => {
    setDialog(null);
    notifications.show({ color: 'teal', message });
    list.reload();
  };

  return (
    <ListPage
      title={t('requests.title')}
      actions={
        canCreate &&
        institutionId && (
          <Button size="md" onClick={() => setDialog({ kind: 'new' })} data-testid="requests-new">
            {t('requests.new')}
          </Button>
        )
      }
      filters={
        <>
          <InstitutionSelect choice={choice} label={t('requests.institution')} testId="requests-institution" maw={480} />
          <RequestFilters value={filters} onChange={setFilters} specialists={specialists} showSpecialist={!own} collapsible={phone} />
        </>
      }
      testId="requests"
      list={list}
      error={failure ? errorText(t, failure) : null}
      texts={{
        loading: t('requests.loading'),
        empty: t('requests.empty'),
        shown: (range) => t('requests.shown', range),
        pages: t('requests.pages'),
      }}
      count={(d) => d.requests.length}
      rows={(d) => (
        <RequestList
          requests={d.requests}
          names={names}
          now={d.now}
          dueSoonBefore={d.dueSoonBefore}
          timeZone={institution?.calendar.timeZone}
          cards={narrow}
          canUpdate={canUpdate}
          onRefuse={(request) => setDialog({ kind: 'refuse', request })}
          onResult={(request) => setDialog({ kind: 'result', request })}
        />
      )}
    >
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
    </ListPage>
  );
}
