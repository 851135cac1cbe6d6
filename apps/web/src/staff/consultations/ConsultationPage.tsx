import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import {
  grantOf,
  isLead,
  mayJoin,
  mayReportFailure,
  type ConsultationDetail,
  type ConsultationHistory,
  type ConsultationNote,
} from '@dp/protocol';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ModalTitle } from '../../ui/ModalTitle.tsx';
import { api } from '../api.ts';
import { ConsultationChanges } from '../booking/ChangeDialogs.tsx';
import { ClientLinkModal, clientName, isClientRole } from '../ClientLinkModal.tsx';
import { errorText } from '../format.ts';
import { useSignedIn } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import staffClasses from '../staff.module.css';
import { FormOutcome } from './FormOutcome.tsx';
import { ProtocolPanel } from '../protocol/ProtocolPanel.tsx';
import { ConsultationFeedbackPanel } from '../feedback/ConsultationFeedbackPanel.tsx';
import { RegistrySection } from '../journal/RegistrySection.tsx';
import { STATE_COLOR } from './people.ts';
import { serverNow } from '../../app/server-time.ts';

/** `/staff/consultations/:consultationId` — one consultation as staff who may read it see it. */
export function ConsultationPage() {
  return (
    <StaffPage size={960}>
      <Page />
    </StaffPage>
  );
}

interface Loaded {
  c: ConsultationDetail;
  history: ConsultationHistory['transitions'];
  /** Null: the reader's role does not read private notes (the matrix). */
  notes: ConsultationNote[] | null;
  /** Staff names for the history's «кто». */
  names: Map<string, string>;
}

function Section({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" data-testid={testId}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function Page() {
  const { t, i18n } = useTranslation();
  const { consultationId = '' } = useParams();
  const session = useSignedIn();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [linkFor, setLinkFor] = useState<string | null>(null);
  const [reporting, setReporting] = useState(false);
  /** «Технический сбой» awaits confirmation (the client is told at once). */
  const [confirming, setConfirming] = useState(false);

  const load = useCallback(async () => {
    try {
      const id = { consultationId };
      const readsNotes = grantOf('consultations.notes_list', session.user.role) !== null;
      const [c, history, notes] = await Promise.all([
        api.call('consultations.get', id),
        api.call('consultations.history', id),
        readsNotes
          ? api.call('consultations.notes_list', id).then(
              (n) => n.notes,
              () => null,
            )
          : Promise.resolve(null),
      ]);
      const staff = await api.call('staff.list', { institutionId: c.institutionId }, {}).then(
        (s) => s.staff,
        () => [],
      );
      const names = new Map<string, string>(staff.map((s) => [s.id, s.displayName]));
      for (const s of c.specialists) names.set(s.id, s.displayName);
      setData({ c, history: history.transitions, notes, names });
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [consultationId, session.user.role, t]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) {
    return (
      <Alert color="red" variant="light" role="alert">
        <Group justify="space-between" gap="sm">
          <Text>{error}</Text>
          <Button size="md" variant="default" onClick={() => void load()}>
            {t('staff.retry')}
          </Button>
        </Group>
      </Alert>
    );
  }
  if (!data) return <Loader aria-label={t('staff.loading')} />;

  const { c, history, notes, names } = data;
  const tz = c.timeZone;
  const when = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { timeZone: tz, day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(
      new Date(iso),
    );
  const time = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  const clients = c.participants.filter((p) => isClientRole(p.role));
  const byParticipant = new Map(c.participants.map((p) => [p.id, p]));
  const participantLabel = (id: string) => {
    const p = byParticipant.get(id);
    if (!p) return '—';
    return isClientRole(p.role) ? clientName(t, clients, p) : (p.displayName ?? t(`consultation.page.roles.${p.role}`));
  };
  const facts = { start: new Date(c.start), state: c.state, endedAt: c.endedAt ? new Date(c.endedAt) : null };
  const entry = mayJoin(facts, 'staff', new Date(serverNow())); // the server's time (app/server-time.ts)
  // By telephone or e-mail there is no room: no «Войти», no link to hand over, no technical failure.
  const online = c.form === 'online';
  const takesPart = online && c.participants.some((p) => p.staffUserId === session.user.id && isLead(p.role));
  const mayReport = online && mayReportFailure(c.state) && (c.specialistIds.includes(session.user.id) || session.user.role === 'head');
  const handsLinks = online && c.handsOverLinks && clients.length > 0 && (entry.ok || (!entry.ok && entry.code === 'not_open_yet'));

  const reportFailure = async () => {
    setReporting(true);
    try {
      await api.call('consultations.technical_failure', { consultationId: c.id }, {});
      await load();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setReporting(false);
      setConfirming(false);
    }
  };

  return (
    <Stack gap="lg" data-testid="consultation-page" data-state={c.state}>
      <Anchor component={Link} to="/staff" size="md">
        {t('consultation.page.back')}
      </Anchor>
      <Stack gap={4}>
        <Title order={1}>
          {/* By e-mail no time is held: the day it was booked. */}
          {c.form === 'email' ? when(c.start) : `${when(c.start)}–${time(c.end)}`}
        </Title>
        <Group gap="sm" wrap="wrap">
          <Badge size="lg" variant="light" color={STATE_COLOR[c.state]} data-testid="consultation-state">
            {t(`staff.states.${c.state}`)}
          </Badge>
          <Text data-testid="consultation-form" data-form={c.form}>
            {t(`booking.forms.${c.form}`)} · {t(`staff.kinds.${c.kind}`)}
            {c.topic ? ` · ${t(`staff.topics.${c.topic}`)}` : ''}
            {c.form === 'email' ? '' : ` · ${t('consultation.page.minutes', { count: c.durationMinutes })}`}
          </Text>
        </Group>
        <Text c="gray.7" size="sm">
          {t('staff.home.timeZone', { zone: tz })}
        </Text>
      </Stack>

      {(takesPart && entry.ok) || mayReport || handsLinks ? (
        <Group gap="sm" wrap="wrap">
          {takesPart && entry.ok && (
            <Button component={Link} to={`/staff/room/${c.id}`} size="lg" data-testid="open-room">
              {t('staff.home.openRoom')}
            </Button>
          )}
          {handsLinks && (
            <Button size="lg" variant="light" onClick={() => setLinkFor(clients[0]!.id)} data-testid="client-link-open">
              {clients.length === 1 ? t('staff.clientLink.open') : t('staff.clientLink.openMany', { count: clients.length })}
            </Button>
          )}
          {mayReport && (
            <Button size="lg" variant="outline" color="red.9" onClick={() => setConfirming(true)} data-testid="technical-failure">
              {t('staff.home.failure')}
            </Button>
          )}
        </Group>
      ) : null}
      <FormOutcome c={c} onChanged={() => void load()} />
      {/* Move (the head) or propose a move, and cancel with a reason category: staff/booking. */}
      <ConsultationChanges consultation={c} onChanged={() => void load()} />

      {c.clientAnswers.length > 0 && (
        <Paper
          radius="md"
          p="md"
          bg="orange.0"
          withBorder
          style={{ borderColor: 'var(--mantine-color-orange-6)' }}
          data-testid="consultation-answers"
        >
          <Stack gap={4}>
            <Text fw={700}>{t('consultation.page.answersTitle')}</Text>
            {c.clientAnswers.map((a) => (
              <Text key={a.id}>
                {when(a.createdAt)} · {participantLabel(a.participantId)}: <b>{t(`consultation.answers.${a.kind}`)}</b>
                {a.note ? ` — «${a.note}»` : ''}
              </Text>
            ))}
          </Stack>
        </Paper>
      )}

      <Section title={t('consultation.page.who')}>
        {c.specialists.map((s) => (
          <Text key={s.id} className={staffClasses.wrap}>
            <b>{s.displayName}</b>
            {s.title ? `, ${s.title}` : ''}
          </Text>
        ))}
        {clients.map((p) => (
          <Text key={p.id} className={staffClasses.wrap} data-testid="consultation-client">
            {clientName(t, clients, p)}
            {p.email ? ` · ${p.email}` : ''}
          </Text>
        ))}
        {c.cancelledReason && <Text c="gray.7">{t('consultation.page.cancelledReason', { reason: c.cancelledReason })}</Text>}
      </Section>

      <Section title={t('consultation.page.history')} testId="consultation-history">
        <Stack gap={6} component="ol" m={0} pl="lg">
          {history.map((h, i) => (
            <Text component="li" key={`${h.at}-${i}`}>
              {when(h.at)} — {t(`consultation.events.${h.event}`, { defaultValue: h.event })}
              {h.previousStart ? ` (${t('consultation.page.wasAt', { when: when(h.previousStart) })})` : ''}
              {' · '}
              {h.actorId ? (names.get(h.actorId) ?? t('consultation.page.someone')) : t('consultation.page.system')}
            </Text>
          ))}
        </Stack>
      </Section>

      <Section title={t('consultation.page.prechecks')}>
        {c.prechecks.length === 0 ? (
          <Text c="gray.7">{t('consultation.page.noPrecheck')}</Text>
        ) : (
          c.prechecks.map((p, i) => (
            <Text key={`${p.at}-${i}`}>
              {when(p.at)} · {names.get(p.specialistId) ?? '—'}:{' '}
              <b>{p.passed ? t('consultation.page.precheckPassed') : t('consultation.page.precheckFailed')}</b>
              {p.rttMs !== null ? ` · ${t('consultation.page.rtt', { ms: p.rttMs })}` : ''}
            </Text>
          ))
        )}
      </Section>

      <Section title={t('consultation.page.joins')}>
        {c.visits.length === 0 ? (
          <Text c="gray.7">{t('consultation.page.noJoins')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={300}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('consultation.page.joinWho')}</Table.Th>
                  <Table.Th>{t('consultation.page.joinIn')}</Table.Th>
                  <Table.Th>{t('consultation.page.joinOut')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.visits.map((v, i) => (
                  <Table.Tr key={`${v.participantId}-${i}`}>
                    <Table.Td>{participantLabel(v.participantId)}</Table.Td>
                    <Table.Td>{time(v.joinedAt)}</Table.Td>
                    <Table.Td>{v.leftAt ? time(v.leftAt) : t('consultation.page.stillIn')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      {/* The group registry of a webinar (names: whoever the matrix lets read it). */}
      {c.kind === 'webinar' && grantOf('consultations.registry', session.user.role) !== null && (
        <RegistrySection consultationId={c.id} role={session.user.role} />
      )}

      {/* The protocol: shown only to whom the server lets read it (head, the consultation's specialists). */}
      {grantOf('protocol.get', session.user.role) !== null && <ProtocolPanel consultationId={c.id} timeZone={tz} />}

      {/* The clients' feedback without names (head, the consultation's specialist). */}
      {grantOf('feedback.consultation', session.user.role) !== null && <ConsultationFeedbackPanel consultationId={c.id} timeZone={tz} />}

      {notes && (
        <Section title={t('consultation.page.notes')} testId="consultation-notes">
          {notes.length === 0 ? (
            <Text c="gray.7">{t('consultation.page.noNotes')}</Text>
          ) : (
            notes.map((n) => (
              <Stack key={n.id} gap={2}>
                <Text size="sm" c="gray.7">
                  {when(n.createdAt)} · {n.authorName}
                </Text>
                <Text style={{ whiteSpace: 'pre-wrap' }} className={staffClasses.wrap}>
                  {n.body}
                </Text>
              </Stack>
            ))
          )}
        </Section>
      )}

      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={<ModalTitle size="lg">{t('staff.home.failureConfirmTitle')}</ModalTitle>}
        size="lg"
      >
        <Stack gap="md">
          <Text size="lg">{t('staff.home.failureConfirmText')}</Text>
          <Group justify="flex-end" gap="sm">
            <Button size="lg" variant="default" onClick={() => setConfirming(false)}>
              {t('staff.home.failureCancel')}
            </Button>
            <Button size="lg" color="red" loading={reporting} onClick={() => void reportFailure()} data-testid="technical-failure-confirm">
              {t('staff.home.failureConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ClientLinkModal
        consultationId={c.id}
        clients={clients}
        participantId={linkFor}
        when={`${when(c.start)}–${time(c.end)} · ${t(`staff.kinds.${c.kind}`)}`}
        onClose={() => setLinkFor(null)}
      />
    </Stack>
  );
}
