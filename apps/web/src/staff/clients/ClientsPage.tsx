import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Pagination,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { grantOf, staffRolesGranted, type ClientList, type ClientSummary } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { ClientForm } from './ClientForm.tsx';
import { childText, clientHref, contactsOf, useInstitutionChoice } from './client-text.ts';
import classes from './clients.module.css';

// `/clients` — the clients' registry: search, 50 a page from the server, «Новый клиент».

const REGISTRY_ROLES = staffRolesGranted('clients.list');

export function ClientsPage() {
  return (
    <StaffPage roles={REGISTRY_ROLES} size={1280}>
      <Registry />
    </StaffPage>
  );
}

function Registry() {
  const { t } = useTranslation();
  const { session } = useSession();
  const navigate = useNavigate();
  const role = session?.user.role ?? 'specialist';
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const { institutions, institutionId, setInstitutionId, error: institutionsError } = useInstitutionChoice();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ClientList | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const canCreate = grantOf('clients.create', role) !== null;

  useEffect(() => setPage(1), [q, institutionId]);
  useEffect(() => {
    if (institutionsError) setError(errorText(t, institutionsError));
  }, [institutionsError, t]);

  const load = useCallback(async () => {
    if (!institutionId) return;
    setBusy(true);
    try {
      setData(await api.call('clients.list', { institutionId }, { q: q || undefined, page }));
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }, [institutionId, q, page, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const own = session?.user.institutionId;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Title order={1}>{t('clients.title')}</Title>
        {canCreate && institutionId && (
          <Button size="md" onClick={() => setCreating(true)} data-testid="clients-new">
            {t('clients.new')}
          </Button>
        )}
      </Group>
      {institutions.length > 1 && (
        <Select
          label={t('clients.institution')}
          size="md"
          maw={480}
          data={institutions.map((i) => ({ value: i.id, label: i.name }))}
          value={institutionId}
          onChange={(v) => v && setInstitutionId(v)}
          allowDeselect={false}
          data-testid="clients-institution"
        />
      )}
      <TextInput
        size="md"
        type="search"
        label={t('clients.search')}
        description={t('clients.searchHint')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={560}
        data-testid="clients-search"
      />
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
      {!data && !error && (
        <Group gap="sm">
          <Loader size="sm" />
          <Text>{t('clients.loading')}</Text>
        </Group>
      )}
      {data && data.total === 0 && (
        <Text c="gray.7" data-testid="clients-empty">
          {q ? t('clients.nothingFound') : t('clients.empty')}
        </Text>
      )}
      {data && data.total > 0 && (
        <>
          <Text c="gray.7" aria-live="polite" data-testid="clients-shown">
            {t('clients.shown', {
              from: (data.page - 1) * data.pageSize + 1,
              to: (data.page - 1) * data.pageSize + data.clients.length,
              total: data.total,
            })}
          </Text>
          <div aria-busy={busy}>
            {phone ? <ClientCards clients={data.clients} own={own} /> : <ClientTable clients={data.clients} own={own} />}
          </div>
          {pages > 1 && (
            <nav aria-label={t('clients.pages')}>
              <Pagination total={pages} value={page} onChange={setPage} size={phone ? 'md' : 'lg'} siblings={phone ? 0 : 1} />
            </nav>
          )}
        </>
      )}
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        size="xl"
        centered
        fullScreen={phone}
        title={t('clients.new')}
        closeButtonProps={{ 'aria-label': t('clients.close') }}
      >
        {creating && institutionId && (
          <ClientForm
            institutionId={institutionId}
            onCancel={() => setCreating(false)}
            onSaved={(c) => {
              setCreating(false);
              notifications.show({ color: 'teal', closeButtonProps: { 'aria-label': t('clients.close') }, message: t('clients.created') });
              void navigate(clientHref(c, own));
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

function ClientTable({ clients, own }: { clients: ClientSummary[]; own: string | null | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Table verticalSpacing="sm" highlightOnHover striped className={classes.table} data-testid="clients-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('clients.fields.representativeName')}</Table.Th>
          <Table.Th>{t('clients.child')}</Table.Th>
          <Table.Th>{t('clients.contacts')}</Table.Th>
          <Table.Th>{t('clients.fields.socialStatus')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {clients.map((c) => (
          <Table.Tr
            key={c.id}
            data-testid="client-row"
            data-id={c.id}
            className={classes.row}
            // The whole row opens the client (the name is the link for keyboards and screen readers).
            onClick={(e) => {
              if (!(e.target as HTMLElement).closest('a')) void navigate(clientHref(c, own));
            }}
          >
            <Table.Td>
              <Anchor component={Link} to={clientHref(c, own)} fw={600} className={classes.wrap}>
                {c.representativeName}
              </Anchor>
              {c.archivedAt && (
                <Badge ml="xs" color="gray" variant="light">
                  {t('clients.archived')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td className={classes.wrap}>{childText(t, c) || '—'}</Table.Td>
            <Table.Td className={classes.wrap}>{contactsOf(c).join(', ')}</Table.Td>
            <Table.Td>{c.socialStatus ? t(`clients.socialStatusShort.${c.socialStatus}`) : '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ClientCards({ clients, own }: { clients: ClientSummary[]; own: string | null | undefined }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" component="ul" className={classes.cards}>
      {clients.map((c) => (
        <Paper component="li" key={c.id} withBorder p="sm" radius="md" data-testid="client-row" data-id={c.id}>
          <Anchor component={Link} to={clientHref(c, own)} fw={600} size="lg" className={classes.wrap}>
            {c.representativeName}
          </Anchor>
          {childText(t, c) && <Text className={classes.wrap}>{childText(t, c)}</Text>}
          <Text c="gray.7" className={classes.wrap}>
            {contactsOf(c).join(', ')}
          </Text>
          {c.socialStatus && (
            <Badge mt={4} variant="light" color="orange">
              {t(`clients.socialStatusShort.${c.socialStatus}`)}
            </Badge>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
