import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { grantOf, staffRolesGranted, type ClientDetails } from '@dp/protocol';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { errorText, formatDateTime } from '../format.ts';
import { useSession } from '../session.tsx';
import { PlannedWork } from '../planned/PlannedWork.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { ClientForm } from './ClientForm.tsx';
import { childText } from './client-text.ts';
import classes from './clients.module.css';

// `/clients/:clientId` — one client: data, consent, their requests and consultations.

const REGISTRY_ROLES = staffRolesGranted('clients.get');

export function ClientPage() {
  return (
    <StaffPage roles={REGISTRY_ROLES} size={1100}>
      <ClientView />
    </StaffPage>
  );
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="sm" c="gray.7">
        {label}
      </Text>
      <Text className={classes.wrap} data-testid={testId}>
        {children}
      </Text>
    </div>
  );
}

function ClientView() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const { clientId = '' } = useParams();
  const [search] = useSearchParams();
  const institutionId = search.get('institution') ?? session?.user.institutionId ?? null;
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [client, setClient] = useState<ClientDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const canUpdate = grantOf('clients.update', session?.user.role ?? 'specialist') !== null;

  const load = useCallback(async () => {
    if (!institutionId) return;
    try {
      setClient(await api.call('clients.get', { institutionId, clientId }));
      setError(null);
    } catch (e) {
      setError(errorText(t, e, { not_found: t('clients.notFound') }));
    }
  }, [institutionId, clientId, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const archive = async (archived: boolean) => {
    if (!client || !institutionId) return;
    setBusy(true);
    try {
      await api.call('clients.update', { institutionId, clientId: client.id }, { archived });
      notifications.show({
        color: 'teal',
        closeButtonProps: { 'aria-label': t('clients.close') },
        message: t(archived ? 'clients.archivedDone' : 'clients.restoredDone'),
      });
      await load();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const when = (iso: string) => formatDateTime(iso, i18n.language);
  const day = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/clients" size="md">
        {t('clients.back')}
      </Anchor>
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
      {!client && !error && (
        <Group gap="sm">
          <Loader size="sm" />
          <Text>{t('clients.loading')}</Text>
        </Group>
      )}
      {client && institutionId && (
        <>
          <Group justify="space-between" align="flex-start" gap="sm">
            <div>
              <Title order={1} className={classes.wrap} data-testid="client-title">
                {client.representativeName}
              </Title>
              {childText(t, client) && <Text size="lg">{childText(t, client)}</Text>}
              {client.archivedAt && (
                <Badge color="gray" variant="light" mt={4}>
                  {t('clients.archived')}
                </Badge>
              )}
            </div>
            {canUpdate && (
              <Group gap="sm">
                <Button size="md" onClick={() => setEditing(true)} data-testid="client-edit">
                  {t('clients.edit')}
                </Button>
                <Button
                  size="md"
                  variant="default"
                  loading={busy}
                  onClick={() => void archive(!client.archivedAt)}
                  data-testid="client-archive"
                >
                  {client.archivedAt ? t('clients.restore') : t('clients.archive')}
                </Button>
              </Group>
            )}
          </Group>
          <Paper withBorder p="md" radius="md">
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md">
              <Field label={t('clients.fields.phone')}>{client.phone ?? '—'}</Field>
              <Field label={t('clients.fields.email')}>{client.email ?? '—'}</Field>
              <Field label={t('clients.fields.messenger')}>{client.messenger ?? '—'}</Field>
              <Field label={t('clients.fields.address')}>{client.address ?? '—'}</Field>
              <Field label={t('clients.fields.socialStatus')}>
                {client.socialStatus ? t(`clients.socialStatus.${client.socialStatus}`) : '—'}
              </Field>
              <Field label={t('clients.programmes')}>
                {[client.ippsu && t('clients.fields.ippsu'), client.ipsr && t('clients.fields.ipsr')].filter(Boolean).join(', ') || '—'}
              </Field>
            </SimpleGrid>
            {client.note && (
              <Stack mt="md" gap={0}>
                <Field label={t('clients.fields.note')}>{client.note}</Field>
              </Stack>
            )}
          </Paper>
          <Paper withBorder p="md" radius="md" data-testid="client-consent-view">
            <Text fw={600}>{t('clients.consent.title')}</Text>
            <Text>
              {t(`clients.consent.${client.consentMethod}`)}, {day(client.consentAt)}
            </Text>
            <Text c="gray.7">{t('clients.consent.recordedBy', { name: client.consentRecordedBy.displayName })}</Text>
          </Paper>
          <section aria-labelledby="client-requests">
            <Title order={2} size="h3" id="client-requests" mb="sm">
              {t('clients.requests')}
            </Title>
            {client.requests.length === 0 ? (
              <Text c="gray.7">{t('clients.noRequests')}</Text>
            ) : (
              <Stack gap="xs" component="ul" className={classes.cards} data-testid="client-requests">
                {client.requests.map((r) => (
                  <Paper component="li" key={r.id} withBorder p="sm" radius="md">
                    <Group justify="space-between" gap="xs">
                      <Text fw={600}>
                        {t('clients.requestNumber', { number: r.number, year: r.year })} · {when(r.receivedAt)}
                      </Text>
                      <Badge variant="light">{t(`clients.requestStatus.${r.status}`)}</Badge>
                    </Group>
                    <Text c="gray.7">{t(`clients.channel.${r.channel}`)}</Text>
                    <Text className={classes.wrap} lineClamp={phone ? 3 : 2}>
                      {r.reason}
                    </Text>
                  </Paper>
                ))}
              </Stack>
            )}
          </section>
          <section aria-labelledby="client-consultations">
            <Title order={2} size="h3" id="client-consultations" mb="sm">
              {t('clients.consultations')}
            </Title>
            {client.consultations.length === 0 ? (
              <Text c="gray.7">{t('clients.noConsultations')}</Text>
            ) : (
              <Stack gap="xs" component="ul" className={classes.cards} data-testid="client-consultations">
                {client.consultations.map((c) => (
                  <Paper component="li" key={c.id} withBorder p="sm" radius="md">
                    <Group justify="space-between" gap="xs">
                      <Text fw={600}>
                        {when(c.start)} · {t('clients.minutes', { count: c.durationMinutes })}
                      </Text>
                      <Badge variant="light">{t(`staff.states.${c.state}`, { defaultValue: c.state })}</Badge>
                    </Group>
                    <Text c="gray.7">{c.specialists.map((s) => s.displayName).join(', ')}</Text>
                  </Paper>
                ))}
              </Stack>
            )}
          </section>
          <PlannedWork institutionId={institutionId} client={client} />
          <Modal
            opened={editing}
            onClose={() => setEditing(false)}
            size="xl"
            centered
            fullScreen={phone}
            title={t('clients.editTitle')}
            closeButtonProps={{ 'aria-label': t('clients.close') }}
          >
            {editing && (
              <ClientForm
                institutionId={institutionId}
                client={client}
                onCancel={() => setEditing(false)}
                onSaved={() => {
                  setEditing(false);
                  notifications.show({
                    color: 'teal',
                    closeButtonProps: { 'aria-label': t('clients.close') },
                    message: t('clients.saved'),
                  });
                  void load();
                }}
              />
            )}
          </Modal>
        </>
      )}
    </Stack>
  );
}
