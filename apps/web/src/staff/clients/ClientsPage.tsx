import { Anchor, Badge, Button, Modal, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { grantOf, staffRolesGranted, type ClientSummary } from '@dp/protocol';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { useInstitutionChoice } from '../list/institutions.ts';
import { InstitutionSelect, ListPage, useListLayout } from '../list/ListPage.tsx';
import { useServerList } from '../list/useServerList.ts';
import { ClientForm } from './ClientForm.tsx';
import { childText, clientHref, contactsOf } from './client-text.ts';
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
  const { phone } = useListLayout();
  const choice = useInstitutionChoice();
  const { institutionId, error: institutionsError } = choice;
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [creating, setCreating] = useState(false);
  const canCreate = grantOf('clients.create', role) !== null;
  const query = useMemo(() => (institutionId ? { institutionId, q: q || undefined } : null), [institutionId, q]);
  const list = useServerList(query, ({ institutionId: id, q: text }, page) =>
    api.call('clients.list', { institutionId: id }, { q: text, page }),
  );
  const failure = list.error ?? institutionsError;
  const own = session?.user.institutionId;

  return (
    <ListPage
      title={t('clients.title')}
      actions={
        canCreate &&
        institutionId && (
          <Button size="md" onClick={() => setCreating(true)} data-testid="clients-new">
            {t('clients.new')}
          </Button>
        )
      }
      filters={
        <>
          <InstitutionSelect choice={choice} label={t('clients.institution')} testId="clients-institution" maw={480} />
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
        </>
      }
      testId="clients"
      list={list}
      error={failure ? errorText(t, failure) : null}
      texts={{
        loading: t('clients.loading'),
        empty: q ? t('clients.nothingFound') : t('clients.empty'),
        shown: (range) => t('clients.shown', range),
        pages: t('clients.pages'),
      }}
      count={(d) => d.clients.length}
      rows={(d) => (phone ? <ClientCards clients={d.clients} own={own} /> : <ClientTable clients={d.clients} own={own} />)}
    >
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
    </ListPage>
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
