import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { parsePersonList, type Consultation, type Registry } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { ClientPicker } from '../clients/ClientPicker.tsx';
import { errorText, formatDateTime } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { ERROR_STYLES, listErrors } from './webinar-form.ts';
import { useInstitution, WEBINAR_ROLES } from './WebinarsPage.tsx';

// `/webinars/:consultationId` — one webinar: its participants, «Добавить участников» (each new
// one gets an invitation with a personal link), and the registry once it was held.

const OVER = new Set(['ended', 'no_show']);
const CLOSED = new Set(['ended', 'no_show', 'failed', 'cancelled']);

export function WebinarPage() {
  return (
    <StaffPage roles={WEBINAR_ROLES} size={1100}>
      <Webinar />
    </StaffPage>
  );
}

function Webinar() {
  const { t, i18n } = useTranslation();
  const { consultationId = '' } = useParams();
  const { session } = useSession();
  const { institution } = useInstitution(session?.user.institutionId ?? null, false);
  const [c, setC] = useState<Consultation | null>(null);
  const [registry, setRegistry] = useState<Registry | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const load = useCallback(async () => {
    try {
      const got = await api.call('consultations.get', { consultationId });
      setC(got);
      if (OVER.has(got.state)) setRegistry(await api.call('consultations.registry', { consultationId }));
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [consultationId, t]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error)
    return (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    );
  if (!c) return <Loader />;
  const clients = c.participants.filter((p) => p.staffUserId === null);
  const hosts = c.participants.filter((p) => p.staffUserId !== null);

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/webinars" size="md">
        {t('webinars.back')}
      </Anchor>
      <Title order={1} style={{ overflowWrap: 'anywhere' }}>
        {c.note ?? t('webinars.untitled')}
      </Title>
      <Group gap="xs">
        <Badge variant="light">{t(`webinars.state.${c.state}`)}</Badge>
        {c.openFloor && <Badge variant="light">{t('webinars.groupBadge')}</Badge>}
        <Badge variant="outline">
          {c.direction === 'specialist_specialist' ? t('webinars.audienceSpecialists') : t('webinars.audienceClients')}
        </Badge>
      </Group>
      <Text>
        {formatDateTime(c.start, i18n.language, institution?.calendar.timeZone)} · {t('webinars.minutes', { count: c.durationMinutes })}
      </Text>
      <Text>{t('webinars.hosts', { names: hosts.map((h) => h.displayName ?? '—').join(', ') })}</Text>

      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="sm" wrap="wrap">
          <Title order={2} size="h3">
            {t('webinars.participantsCount', { count: clients.length })}
          </Title>
          {!CLOSED.has(c.state) && (
            <Button size="md" variant="light" onClick={() => setAdding(true)} data-testid="webinar-add-participants">
              {t('webinars.add')}
            </Button>
          )}
        </Group>
        {clients.length === 0 ? (
          <Text c="gray.7">{t('webinars.nobody')}</Text>
        ) : (
          <Stack gap={4} component="ul" style={{ paddingLeft: '1.2em', margin: 0 }} data-testid="webinar-participants">
            {clients.map((p) => (
              <Text component="li" key={p.id} style={{ overflowWrap: 'anywhere' }}>
                {p.displayName ?? t('webinars.anonymous')}
                {p.email ? ` · ${p.email}` : ''}
              </Text>
            ))}
          </Stack>
        )}
      </Paper>

      {registry && (
        <Paper withBorder radius="md" p="md" data-testid="webinar-registry">
          <Title order={2} size="h3" mb="sm">
            {t('webinars.registry')}
          </Title>
          <Table.ScrollContainer minWidth={420}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('webinars.registryName')}</Table.Th>
                  <Table.Th>{t('webinars.registryMinutes')}</Table.Th>
                  <Table.Th>{t('webinars.registryVisits')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {registry.participants.map((r) => (
                  <Table.Tr key={r.participantId}>
                    <Table.Td>{r.label || t('webinars.anonymous')}</Table.Td>
                    <Table.Td>{r.minutesPresent}</Table.Td>
                    <Table.Td>{r.visits}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      <AddParticipants
        opened={adding}
        consultation={c}
        onClose={() => setAdding(false)}
        onAdded={(next, count) => {
          setAdding(false);
          setC(next);
          notifications.show({ message: t('webinars.addedInvited', { count }), color: 'teal' });
        }}
      />
    </Stack>
  );
}

function AddParticipants({
  opened,
  consultation,
  onClose,
  onAdded,
}: {
  opened: boolean;
  consultation: Consultation;
  onClose: () => void;
  onAdded: (c: Consultation, count: number) => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [picked, setPicked] = useState<{ id: string; name: string }[]>([]);
  const [emails, setEmails] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parsePersonList(emails);
  const lineErrors = listErrors(t, parsed.errors);

  const save = async () => {
    if (lineErrors) return setFieldError(lineErrors);
    if (picked.length + parsed.people.length === 0) return setFieldError(t('webinars.validation.nobody'));
    setBusy(true);
    setError(null);
    try {
      const res = await api.call(
        'consultations.add_participants',
        { consultationId: consultation.id },
        { clients: picked.map((p) => ({ clientId: p.id })), ...(emails.trim() ? { emailList: emails } : {}) },
      );
      setPicked([]);
      setEmails('');
      setFieldError(null);
      onAdded(res.consultation, res.added.length);
    } catch (e) {
      if (serverFieldErrors(e)) setFieldError(t('webinars.serverField.emails'));
      else if ((e as { status?: number }).status === 422) setFieldError(t('webinars.validation.capacity'));
      else setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      centered
      fullScreen={phone}
      title={t('webinars.add')}
      closeButtonProps={{ 'aria-label': t('webinars.close') }}
    >
      <Stack gap="md">
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {consultation.direction === 'specialist_client' && (
          <ClientPicker
            institutionId={consultation.institutionId}
            value={null}
            label={t('webinars.fromRegistry')}
            onChange={(c) => c && !picked.some((p) => p.id === c.id) && setPicked([...picked, { id: c.id, name: c.representativeName }])}
          />
        )}
        {picked.length > 0 && <Text>{picked.map((p) => p.name).join(', ')}</Text>}
        <Textarea
          size="md"
          label={t('webinars.emails.label')}
          description={t('webinars.emails.hint')}
          autosize
          minRows={3}
          maxRows={10}
          value={emails}
          onChange={(e) => {
            setEmails(e.currentTarget.value);
            setFieldError(null);
          }}
          error={fieldError}
          styles={ERROR_STYLES}
          data-testid="webinar-add-emails"
        />
        <Group justify="flex-end">
          <Button variant="default" size="md" onClick={onClose} disabled={busy}>
            {t('webinars.cancel')}
          </Button>
          <Button size="md" onClick={() => void save()} loading={busy} data-testid="webinar-add-save">
            {t('webinars.addAndInvite', { count: picked.length + parsed.people.length })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
