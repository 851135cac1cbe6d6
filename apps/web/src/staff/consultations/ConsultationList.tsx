import { Alert, Anchor, Badge, Button, Group, Modal, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { isLead, mayJoin, mayReportFailure, type Consultation, type Institution } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ModalTitle } from '../../ui/ModalTitle.tsx';
import { api } from '../api.ts';
import { ClientLinkModal, clientName, isClientRole } from '../ClientLinkModal.tsx';
import { errorText } from '../format.ts';
import { useSignedIn } from '../session.tsx';
import staffClasses from '../staff.module.css';
import { clientNames, latestAnswer, periodRange, STATE_COLOR, staffNames } from './people.ts';
import { serverNow } from '../../app/server-time.ts';

type Period = 'upcoming' | 'past';

/**
 * The institution's consultations — from today on, or the past eight weeks — with the
 * specialists' and clients' names (the server answers only what the reader may see; for a
 * specialist, their own). Each row opens the consultation's page.
 */
export function ConsultationList({ institutionId, own }: { institutionId: string; own: boolean }) {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const [period, setPeriod] = useState<Period>('upcoming');
  const [institution, setInstitution] = useState<Institution | null>(null);
  const [list, setList] = useState<Consultation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The consultation whose «Технический сбой» awaits confirmation. */
  const [failing, setFailing] = useState<Consultation | null>(null);
  const [reporting, setReporting] = useState(false);
  /** «Ссылка для клиента»: whose link, of which consultation. */
  const [linkOf, setLinkOf] = useState<{ consultation: Consultation; participantId: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const { from, to } = periodRange(period, new Date());
      const [institutions, consultations] = await Promise.all([
        api.call('institutions.list', {}),
        api.call('consultations.list', { institutionId }, { from: from.toISOString(), to: to.toISOString() }),
      ]);
      setInstitution(institutions.institutions.find((i) => i.id === institutionId) ?? null);
      const sorted = [...consultations.consultations].sort((a, b) => a.start.localeCompare(b.start));
      setList(period === 'past' ? sorted.reverse() : sorted);
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [institutionId, period, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const reportFailure = async (c: Consultation) => {
    setReporting(true);
    try {
      await api.call('consultations.technical_failure', { consultationId: c.id }, {});
      setFailing(null);
      await load();
    } catch (e) {
      setError(errorText(t, e));
      setFailing(null);
    } finally {
      setReporting(false);
    }
  };

  const timeZone = institution?.calendar.timeZone;
  const dayFmt = new Intl.DateTimeFormat(i18n.language, { timeZone, weekday: 'short', day: 'numeric', month: 'long' });
  const timeFmt = new Intl.DateTimeFormat(i18n.language, { timeZone, hour: '2-digit', minute: '2-digit' });

  return (
    <Stack gap="sm" component="section" aria-labelledby="consultations-title">
      <Group justify="space-between" align="flex-end" gap="sm" wrap="wrap">
        <Title order={2} id="consultations-title">
          {period === 'past'
            ? t('consultation.list.pastTitle')
            : own
              ? t('staff.home.comingWeeks', { count: 4 })
              : t('staff.home.institutionConsultations', { count: 4 })}
        </Title>
        <SegmentedControl
          size="md"
          value={period}
          onChange={(v) => {
            setList(null);
            setPeriod(v as Period);
          }}
          data={[
            { value: 'upcoming', label: t('consultation.list.upcoming') },
            { value: 'past', label: t('consultation.list.past') },
          ]}
          aria-label={t('consultation.list.period')}
          data-testid="consultations-period"
        />
      </Group>
      {timeZone && (
        <Text c="gray.7" size="sm">
          {t('staff.home.timeZone', { zone: timeZone })}
        </Text>
      )}
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Group justify="space-between" gap="sm">
            <Text>{error}</Text>
            <Button size="md" variant="default" onClick={() => void load()}>
              {t('staff.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {list && list.length === 0 && (
        <Paper withBorder radius="md" p="lg" data-testid="consultations-empty">
          <Text>{period === 'past' ? t('consultation.list.nonePast') : own ? t('staff.home.noneOwn') : t('staff.home.none')}</Text>
        </Paper>
      )}
      {list && list.length > 0 && (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid="consultations">
          {list.map((c) => {
            // Staff enter the room signed in (the staff room route), in their own lead role.
            const takesPart = c.participants.some((p) => p.staffUserId === session.user.id && isLead(p.role));
            // The lifecycle's rules (packages/protocol/src/lifecycle.ts), as the server applies them.
            const facts = { start: new Date(c.start), state: c.state, endedAt: c.endedAt ? new Date(c.endedAt) : null };
            const entry = mayJoin(facts, 'staff', new Date(serverNow())); // the server's time (app/server-time.ts)
            // By telephone or e-mail there is no room: no «Войти», no link, no technical failure.
            const live = entry.ok && c.form === 'online';
            // Clients' links, for those who hand them over (the server says who: the booker, the
            // responsible social worker, the head) while the consultation is ahead.
            const clients = c.participants.filter((p) => isClientRole(p.role));
            const handsLinks =
              c.form === 'online' && c.handsOverLinks && clients.length > 0 && (live || (!entry.ok && entry.code === 'not_open_yet'));
            // Before a client came, a specialist of the consultation (or the head) may report that the equipment failed.
            const mayReport =
              c.form === 'online' &&
              mayReportFailure(c.state) &&
              (c.specialistIds.includes(session.user.id) || session.user.role === 'head');
            const specialists = staffNames(c);
            const who = clientNames(t, c);
            const answer = latestAnswer(c);
            return (
              <Paper
                key={c.id}
                component="li"
                withBorder
                radius="md"
                p="md"
                data-testid="consultation-row"
                data-id={c.id}
                data-state={c.state}
              >
                <Group justify="space-between" align="center" gap="sm" wrap="wrap">
                  <Stack gap={2} style={{ minWidth: 0, flex: '1 1 14rem' }}>
                    <Anchor component={Link} to={`/staff/consultations/${c.id}`} fw={700} size="lg" data-testid="consultation-open">
                      {dayFmt.format(new Date(c.start))},{' '}
                      <span style={{ whiteSpace: 'nowrap' }}>
                        {timeFmt.format(new Date(c.start))}–{timeFmt.format(new Date(c.end))}
                      </span>
                    </Anchor>
                    {who && (
                      <Text fw={600} className={staffClasses.wrap} data-testid="consultation-clients">
                        {who}
                      </Text>
                    )}
                    {specialists.length > 0 && (
                      <Text className={staffClasses.wrap} data-testid="consultation-specialists">
                        {t('consultation.list.specialist', { names: specialists.join(', ') })}
                      </Text>
                    )}
                    <Text c="gray.7">
                      {t(`staff.kinds.${c.kind}`)}
                      {c.form !== 'online' ? ` · ${t(`booking.forms.${c.form}`)}` : ''}
                      {c.topic ? ` · ${t(`staff.topics.${c.topic}`)}` : ''}
                    </Text>
                  </Stack>
                  <Group gap="sm">
                    <Badge size="lg" variant="light" color={STATE_COLOR[c.state]} data-testid="consultation-state">
                      {t(`staff.states.${c.state}`)}
                    </Badge>
                    {answer && (
                      <Badge size="lg" variant="outline" color="orange.9" data-testid="consultation-answer-flag" data-kind={answer.kind}>
                        {t(`consultation.answers.${answer.kind}`)}
                      </Badge>
                    )}
                    {c.state === 'failed' ? (
                      <Badge size="lg" variant="light" color="red" data-testid="technical-failure-reported">
                        {t('staff.home.failureReported')}
                      </Badge>
                    ) : (
                      takesPart &&
                      live && (
                        <Button component={Link} to={`/staff/room/${c.id}`} size="md" data-testid="open-room">
                          {t('staff.home.openRoom')}
                        </Button>
                      )
                    )}
                    {mayReport && (
                      <Button size="md" variant="outline" color="red.9" onClick={() => setFailing(c)} data-testid="technical-failure">
                        {t('staff.home.failure')}
                      </Button>
                    )}
                  </Group>
                </Group>
                {handsLinks && (
                  <Group gap="sm" mt="sm" wrap="wrap">
                    {clients.length <= 2 ? (
                      clients.map((p) => (
                        <Button
                          key={p.id}
                          size="md"
                          variant="light"
                          className={staffClasses.wrap}
                          onClick={() => setLinkOf({ consultation: c, participantId: p.id })}
                          data-testid="client-link-open"
                          data-participant-id={p.id}
                        >
                          {clients.length === 1
                            ? t('staff.clientLink.open')
                            : t('staff.clientLink.openFor', { name: clientName(t, clients, p) })}
                        </Button>
                      ))
                    ) : (
                      // A webinar's audience: one button, the person chosen in the dialog.
                      <Button
                        size="md"
                        variant="light"
                        className={staffClasses.wrap}
                        onClick={() => setLinkOf({ consultation: c, participantId: clients[0]!.id })}
                        data-testid="client-link-open"
                        data-participant-id={clients[0]!.id}
                      >
                        {t('staff.clientLink.openMany', { count: clients.length })}
                      </Button>
                    )}
                  </Group>
                )}
              </Paper>
            );
          })}
        </Stack>
      )}
      <ClientLinkModal
        consultationId={linkOf?.consultation.id ?? ''}
        clients={linkOf?.consultation.participants.filter((p) => isClientRole(p.role)) ?? []}
        participantId={linkOf?.participantId ?? null}
        when={
          linkOf
            ? `${dayFmt.format(new Date(linkOf.consultation.start))}, ${timeFmt.format(new Date(linkOf.consultation.start))}–${timeFmt.format(new Date(linkOf.consultation.end))} · ${t(`staff.kinds.${linkOf.consultation.kind}`)}`
            : ''
        }
        onClose={() => setLinkOf(null)}
      />
      <Modal
        opened={failing !== null}
        onClose={() => setFailing(null)}
        title={<ModalTitle size="lg">{t('staff.home.failureConfirmTitle')}</ModalTitle>}
        size="lg"
      >
        <Stack gap="md">
          <Text size="lg">{t('staff.home.failureConfirmText')}</Text>
          <Group justify="flex-end" gap="sm">
            <Button size="lg" variant="default" onClick={() => setFailing(null)}>
              {t('staff.home.failureCancel')}
            </Button>
            <Button
              size="lg"
              color="red"
              loading={reporting}
              onClick={() => failing && void reportFailure(failing)}
              data-testid="technical-failure-confirm"
            >
              {t('staff.home.failureConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
