import { Alert, Badge, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import type { Consultation, Institution, MoveProposal } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText, formatDateTime } from '../format.ts';
import { StaffPage } from '../StaffPage.tsx';
import { PageLoader, useSignedIn } from '../session.tsx';
import { staleVersion, timeWasTaken } from './booking-errors.ts';
import { CancelDialog, MoveDialog } from './ChangeDialogs.tsx';

/** `/failures` — «Сбои»: the head's technical failures and the moves waiting for approval. */
export function FailuresPage() {
  return (
    <StaffPage roles={['head', 'admin']} size={960}>
      <Failures />
    </StaffPage>
  );
}

function Failures() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [institutions, setInstitutions] = useState<Institution[] | null>(null);
  const [institutionId, setInstitutionId] = useState<string | null>(session.user.institutionId);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api
      .call('institutions.list', {})
      .then((r) => {
        setInstitutions(r.institutions);
        setInstitutionId((id) => id ?? r.institutions[0]?.id ?? null);
      })
      .catch((e: unknown) => setError(errorText(t, e)));
  }, [t]);

  if (error)
    return (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    );
  if (!institutions) return <PageLoader />;
  const institution = institutions.find((i) => i.id === institutionId);
  return (
    <Stack gap="xl">
      <Stack gap={4}>
        <Title order={1}>{t('booking.failures.title')}</Title>
        <Text c="gray.7">{t('booking.failures.intro')}</Text>
      </Stack>
      {session.user.role === 'admin' && institutions.length > 1 && (
        <NativeSelect
          size="md"
          maw={420}
          label={t('booking.failures.institution')}
          value={institutionId ?? ''}
          onChange={(e) => setInstitutionId(e.currentTarget.value)}
          data={institutions.map((i) => ({ value: i.id, label: i.name }))}
        />
      )}
      {institution && <Lists institution={institution} />}
    </Stack>
  );
}

function Lists({ institution }: { institution: Institution }) {
  const { t, i18n } = useTranslation();
  const [failures, setFailures] = useState<Consultation[] | null>(null);
  const [proposals, setProposals] = useState<MoveProposal[] | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'move' | 'cancel'; consultation: Consultation } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const when = (iso: string) => formatDateTime(iso, i18n.language, institution.calendar.timeZone);

  const load = useCallback(async () => {
    try {
      const [f, p, staff] = await Promise.all([
        api.call('consultations.failures', { institutionId: institution.id }),
        api.call('consultations.move_proposals', { institutionId: institution.id }),
        api.call('staff.list', { institutionId: institution.id }, {}),
      ]);
      setFailures(f.consultations);
      setProposals(p.proposals);
      setNames(new Map(staff.staff.map((s) => [s.id, s.displayName])));
    } catch (e) {
      setMessage({ color: 'red', text: errorText(t, e) });
    }
  }, [institution.id, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const who = (c: Consultation) => {
    const specialists = c.specialistIds.map((id) => names.get(id) ?? '—').join(', ');
    const clients = c.participants
      .filter((p) => p.role === 'client')
      .map((p) => p.displayName ?? t('booking.anonymousClient'))
      .join(', ');
    return t('booking.failures.who', { specialists, clients: clients || t('booking.anonymousClient') });
  };

  const decide = async (p: MoveProposal, approve: boolean) => {
    setBusy(p.id);
    setMessage(null);
    try {
      if (approve) await api.call('consultations.approve_move', { proposalId: p.id });
      else await api.call('consultations.reject_move', { proposalId: p.id }, {});
      setMessage({ color: 'teal', text: approve ? t('booking.proposals.approved') : t('booking.proposals.rejected') });
    } catch (e) {
      setMessage({
        color: 'yellow',
        text: timeWasTaken(e) ? t('booking.proposals.taken') : staleVersion(e) ? t('booking.errors.stale') : errorText(t, e),
      });
    } finally {
      setBusy(null);
      await load();
    }
  };

  const done = (text: string) => {
    setDialog(null);
    setMessage({ color: 'teal', text });
    void load();
  };

  if (!failures || !proposals) return <PageLoader />;
  return (
    <Stack gap="xl">
      {message && (
        <Alert color={message.color} role="status" data-testid="failures-message">
          {message.text}
        </Alert>
      )}
      <Stack gap="sm" component="section" aria-labelledby="failures-heading">
        <Title order={2} id="failures-heading">
          {t('booking.failures.listTitle')}
        </Title>
        {failures.length === 0 && <Text data-testid="failures-empty">{t('booking.failures.none')}</Text>}
        {failures.map((c) => (
          <Paper key={c.id} withBorder radius="md" p="md" data-testid="failure-row" data-consultation-id={c.id}>
            <Stack gap="xs">
              <Group gap="xs" justify="space-between" wrap="wrap">
                <Text fw={600}>{when(c.start)}</Text>
                <Badge color="red" variant="light">
                  {c.state === 'failed' ? t('booking.failures.failed') : t('booking.failures.precheckFailed')}
                </Badge>
              </Group>
              <Text>{who(c)}</Text>
              <Group gap="sm" wrap="wrap">
                <Button size="md" onClick={() => setDialog({ kind: 'move', consultation: c })} data-testid="failure-reschedule">
                  {t('booking.failures.reschedule')}
                </Button>
                <Button
                  size="md"
                  variant="subtle"
                  color="red"
                  onClick={() => setDialog({ kind: 'cancel', consultation: c })}
                  data-testid="failure-cancel"
                >
                  {t('booking.cancel.open')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        ))}
      </Stack>

      <Stack gap="sm" component="section" aria-labelledby="proposals-heading">
        <Title order={2} id="proposals-heading">
          {t('booking.proposals.title')}
        </Title>
        {proposals.length === 0 && <Text data-testid="proposals-empty">{t('booking.proposals.none')}</Text>}
        {proposals.map((p) => (
          <Paper key={p.id} withBorder radius="md" p="md" data-testid="proposal-row" data-proposal-id={p.id}>
            <Stack gap="xs">
              <Text fw={600}>{t('booking.proposals.fromTo', { from: when(p.consultation.start), to: when(p.start) })}</Text>
              <Text>{who(p.consultation)}</Text>
              <Text size="sm" c="gray.7">
                {t('booking.proposals.by', { name: p.proposedByName })}
                {p.reasonCategory ? ` · ${t('booking.reasons.label')}: ${t(`booking.reasons.${p.reasonCategory}`)}` : ''}
              </Text>
              {p.note && <Text size="sm">{t('booking.proposals.note', { note: p.note })}</Text>}
              <Group gap="sm" wrap="wrap">
                <Button size="md" loading={busy === p.id} onClick={() => void decide(p, true)} data-testid="move-approve">
                  {t('booking.proposals.approve')}
                </Button>
                <Button
                  size="md"
                  variant="default"
                  disabled={busy === p.id}
                  onClick={() => void decide(p, false)}
                  data-testid="move-reject"
                >
                  {t('booking.proposals.reject')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        ))}
      </Stack>

      {dialog?.kind === 'move' && (
        <MoveDialog consultation={dialog.consultation} defaultReason="technical" onClose={() => setDialog(null)} onDone={done} />
      )}
      {dialog?.kind === 'cancel' && (
        <CancelDialog consultation={dialog.consultation} defaultReason="technical" onClose={() => setDialog(null)} onDone={done} />
      )}
    </Stack>
  );
}
