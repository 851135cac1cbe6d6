import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { DatePickerInput, DatesProvider, TimeInput } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { Dyad, MotivationLevel } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ClientPicker } from '../clients/ClientPicker.tsx';
import { errorText, formatDateTime } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { useSession } from '../session.tsx';
import { DyadResults } from '../planned/DyadResults.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { ERROR_STYLES, timetableError } from '../webinars/webinar-form.ts';
import { useInstitution } from '../webinars/WebinarsPage.tsx';
import { zonedInstant } from '../webinars/zoned.ts';
import staffClasses from '../staff.module.css';

// `/dyads` — a curator pairs two families of the registry (each with its motivation level, as
// the seeds' dyad programme does), plans the dyad's consultations on the timetable and sees
// their history.

const DYAD_ROLES = ['head', 'specialist'] as const;

export function DyadsPage() {
  return (
    <StaffPage roles={DYAD_ROLES} size={1100}>
      <Dyads />
    </StaffPage>
  );
}

function Dyads() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const institutionId = session?.user.institutionId ?? null;
  const isHead = session?.user.role === 'head';
  const { institution, specialists } = useInstitution(institutionId, isHead);
  const [dyads, setDyads] = useState<Dyad[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [forming, setForming] = useState(false);
  const [planning, setPlanning] = useState<Dyad | null>(null);

  const load = useCallback(async () => {
    if (!institutionId) return;
    try {
      setDyads((await api.call('dyads.list', { institutionId })).dyads);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [institutionId, t]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!institutionId || !session) return <Alert color="yellow">{t('dyads.noInstitution')}</Alert>;

  return (
    <DatesProvider settings={{ locale: i18n.language.startsWith('en') ? 'en' : 'ru', firstDayOfWeek: 1 }}>
      <Stack gap="lg">
        <Group justify="space-between" wrap="wrap">
          <Title order={1}>{t('dyads.title')}</Title>
          <Button size="md" onClick={() => setForming(true)} data-testid="dyad-new">
            {t('dyads.new')}
          </Button>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {dyads === null ? (
          <Loader />
        ) : dyads.length === 0 ? (
          <Text c="gray.7">{t('dyads.none')}</Text>
        ) : (
          <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {dyads.map((d) => (
              <Paper component="li" key={d.id} withBorder radius="md" p="md" data-testid="dyad-row" data-id={d.id}>
                <Stack gap="xs">
                  {d.members.map((m, i) => (
                    <Group key={m.clientId} gap="xs" wrap="wrap">
                      <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                        {i + 1}. {m.displayName}
                      </Text>
                      <Badge color="gray" variant="light">
                        {t(`dyads.motivation.${m.motivation}`)}
                      </Badge>
                    </Group>
                  ))}
                  <Text size="sm" c="gray.7">
                    {t('dyads.curator', { name: d.curator.displayName })}
                  </Text>
                  <Text fw={500}>{t('dyads.history')}</Text>
                  {d.consultations.length === 0 ? (
                    <Text size="sm" c="gray.7">
                      {t('dyads.noConsultations')}
                    </Text>
                  ) : (
                    <Stack gap={2} component="ul" style={{ paddingLeft: '1.2em', margin: 0 }} data-testid="dyad-history">
                      {d.consultations.map((c) => (
                        <Text component="li" size="sm" key={c.id}>
                          {formatDateTime(c.start, i18n.language, institution?.calendar.timeZone)} ·{' '}
                          {t('webinars.minutes', { count: c.durationMinutes })} · {t(`webinars.state.${c.state}`)}
                        </Text>
                      ))}
                    </Stack>
                  )}
                  {/* A phone: full width (the label whole, never clipped). */}
                  <Group>
                    <Button
                      size="md"
                      variant="light"
                      fullWidth={phone}
                      className={staffClasses.wrap}
                      onClick={() => setPlanning(d)}
                      disabled={!institution}
                      data-testid="dyad-plan"
                    >
                      {t('dyads.plan')}
                    </Button>
                  </Group>
                  <DyadResults institutionId={institutionId} dyad={d} />
                </Stack>
              </Paper>
            ))}
          </Stack>
        )}
        <Modal
          opened={forming}
          onClose={() => setForming(false)}
          size="lg"
          centered
          fullScreen={phone}
          title={t('dyads.new')}
          closeButtonProps={{ 'aria-label': t('webinars.close') }}
        >
          {forming && (
            <DyadForm
              institutionId={institutionId}
              curators={isHead ? specialists.map((s) => ({ value: s.id, label: s.displayName })) : []}
              selfId={session.user.id}
              onCancel={() => setForming(false)}
              onSaved={() => {
                setForming(false);
                notifications.show({ message: t('dyads.formed'), color: 'teal' });
                void load();
              }}
            />
          )}
        </Modal>
        <Modal
          opened={planning !== null}
          onClose={() => setPlanning(null)}
          size="lg"
          centered
          fullScreen={phone}
          title={t('dyads.plan')}
          closeButtonProps={{ 'aria-label': t('webinars.close') }}
        >
          {planning && institution && (
            <PlanForm
              dyad={planning}
              timeZone={institution.calendar.timeZone}
              onCancel={() => setPlanning(null)}
              onSaved={(n) => {
                setPlanning(null);
                notifications.show({ message: t('dyads.planned', { count: n }), color: 'teal' });
                void load();
              }}
            />
          )}
        </Modal>
      </Stack>
    </DatesProvider>
  );
}

function DyadForm({
  institutionId,
  curators,
  selfId,
  onCancel,
  onSaved,
}: {
  institutionId: string;
  curators: { value: string; label: string }[];
  selfId: string;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [clients, setClients] = useState<[string | null, string | null]>([null, null]);
  const [motivation, setMotivation] = useState<[MotivationLevel, MotivationLevel]>(['high', 'low']);
  const [curatorId, setCuratorId] = useState<string | null>(curators.length > 0 ? null : selfId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const next: Record<string, string> = {};
    if (!clients[0]) next.client0 = t('dyads.validation.client');
    if (!clients[1]) next.client1 = t('dyads.validation.client');
    if (clients[0] && clients[0] === clients[1]) next.client1 = t('dyads.validation.same');
    if (!curatorId) next.curator = t('dyads.validation.curator');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      await api.call(
        'dyads.create',
        { institutionId },
        {
          curatorId: curatorId!,
          members: [
            { clientId: clients[0]!, motivation: motivation[0] },
            { clientId: clients[1]!, motivation: motivation[1] },
          ],
        },
      );
      onSaved();
    } catch (e) {
      const fields = serverFieldErrors(e);
      if (fields) {
        setErrors(
          Object.fromEntries(
            Object.keys(fields).map((k) => [
              k.startsWith('members.1') ? 'client1' : k.startsWith('members') ? 'client0' : 'curator',
              t('dyads.validation.server'),
            ]),
          ),
        );
      } else setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {[0, 1].map((i) => (
        <Paper key={i} withBorder radius="md" p="sm" data-testid={`dyad-client-${i + 1}`}>
          <Stack gap="xs">
            <ClientPicker
              institutionId={institutionId}
              value={clients[i]!}
              label={t('dyads.family', { n: i + 1 })}
              error={errors[`client${i}`]}
              onChange={(c) => setClients(i === 0 ? [c?.id ?? null, clients[1]] : [clients[0], c?.id ?? null])}
            />
            <Text size="sm" fw={500} id={`dyad-motivation-label-${i + 1}`}>
              {t('dyads.motivationLabel')}
            </Text>
            <SegmentedControl
              size="md"
              fullWidth
              aria-labelledby={`dyad-motivation-label-${i + 1}`}
              value={motivation[i]!}
              onChange={(v) => setMotivation(i === 0 ? [v as MotivationLevel, motivation[1]] : [motivation[0], v as MotivationLevel])}
              data={[
                { value: 'high', label: t('dyads.level.high') },
                { value: 'low', label: t('dyads.level.low') },
              ]}
              data-testid={`dyad-motivation-${i + 1}`}
            />
          </Stack>
        </Paper>
      ))}
      {curators.length > 0 && (
        <Select
          size="md"
          label={t('dyads.curatorLabel')}
          data={curators}
          value={curatorId}
          onChange={setCuratorId}
          error={errors.curator}
          data-testid="dyad-curator"
        />
      )}
      <Group justify="flex-end">
        <Button variant="default" size="md" onClick={onCancel} disabled={busy}>
          {t('webinars.cancel')}
        </Button>
        <Button size="md" onClick={() => void save()} loading={busy} data-testid="dyad-save">
          {t('dyads.save')}
        </Button>
      </Group>
    </Stack>
  );
}

function PlanForm({
  dyad,
  timeZone,
  onCancel,
  onSaved,
}: {
  dyad: Dyad;
  timeZone: string;
  onCancel: () => void;
  onSaved: (n: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const [dates, setDates] = useState<string[]>([]);
  const [time, setTime] = useState('15:00');
  const [duration, setDuration] = useState<number | string>(45);
  const [dateError, setDateError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    if (dates.length === 0) return setDateError(t('webinars.validation.dates'));
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return setError(t('webinars.validation.time'));
    const minutes = Number(duration);
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 60) return setError(t('webinars.validation.duration'));
    const sorted = [...dates].sort();
    setBusy(true);
    setError(null);
    setDateError(null);
    try {
      const res = await api.call(
        'consultations.create_series',
        { institutionId: dyad.institutionId },
        {
          kind: 'dyad',
          direction: 'client_client',
          mode: 'planned',
          specialistIds: [dyad.curator.id],
          durationMinutes: minutes,
          dyadId: dyad.id,
          starts: sorted.map((d) => zonedInstant(d, time, timeZone)),
        },
      );
      onSaved(res.consultations.length);
    } catch (e) {
      const text = timetableError(t, e, sorted, i18n.language);
      if (text) setDateError(text);
      else setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <DatePickerInput
        type="multiple"
        size="md"
        label={t('webinars.dates')}
        description={t('webinars.datesHint')}
        valueFormat="D MMMM YYYY"
        value={dates}
        onChange={(v) => {
          setDates(v as string[]);
          setDateError(null);
        }}
        error={dateError}
        styles={ERROR_STYLES}
        data-testid="dyad-plan-dates"
      />
      <Group grow align="flex-start">
        <TimeInput
          size="md"
          label={t('webinars.time')}
          value={time}
          onChange={(e) => setTime(e.currentTarget.value)}
          data-testid="dyad-plan-time"
        />
        <NumberInput
          size="md"
          label={t('webinars.duration')}
          min={5}
          max={60}
          step={5}
          value={duration}
          onChange={setDuration}
          data-testid="dyad-plan-duration"
        />
      </Group>
      <Group justify="flex-end">
        <Button variant="default" size="md" onClick={onCancel} disabled={busy}>
          {t('webinars.cancel')}
        </Button>
        <Button size="md" onClick={() => void save()} loading={busy} data-testid="dyad-plan-save">
          {t('dyads.planSave')}
        </Button>
      </Group>
    </Stack>
  );
}
