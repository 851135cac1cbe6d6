import { Alert, Button, Group, Loader, NativeSelect, Paper, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Consultation, ConsultationForm, JournalRequest, Profession, StaffMember } from '@dp/protocol';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { errorText, formatDateTime } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { StaffPage } from '../StaffPage.tsx';
import { PageLoader, useSignedIn } from '../session.tsx';
import { timeWasTaken } from './booking-errors.ts';
import { presetFrom } from './booking-preset.ts';
import { BookingResult } from './BookingResult.tsx';
import { FormBooked, FormChoice } from './FormChoice.tsx';
import { SlotPicker } from './SlotPicker.tsx';
import classes from './booking.module.css';

const DAY = 86_400_000;
/** DOMAIN.md: an online consultation lasts at most 60 minutes. */
export const DURATIONS = [30, 45, 60] as const;
const DEFAULT_DURATION = 45;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `/requests/:requestId/book` — booking a consultation for a request of the journal. */
export function BookingPage() {
  return (
    <StaffPage size={960}>
      <Booking />
    </StaffPage>
  );
}

interface Loaded {
  request: JournalRequest;
  specialists: StaffMember[];
  clientName: string;
  clientEmail: string;
}

function Booking() {
  const { t } = useTranslation();
  const { requestId = '' } = useParams();
  const session = useSignedIn();
  const institutionId = session.user.institutionId;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!institutionId) return;
    let live = true;
    void (async () => {
      try {
        const [request, staff] = await Promise.all([
          api.call('requests.get', { institutionId, requestId }),
          api.call('staff.list', { institutionId }, { role: 'specialist' }),
        ]);
        let clientName = request.anonymous ? '' : (request.representativeName ?? request.fromWhom);
        let clientEmail = request.channel === 'email' && request.contact && EMAIL.test(request.contact) ? request.contact : '';
        if (request.clientId) {
          const client = await api.call('clients.get', { institutionId, clientId: request.clientId });
          clientName = client.representativeName || clientName;
          clientEmail = client.email ?? clientEmail;
        }
        if (live) setLoaded({ request, specialists: staff.staff.filter((s) => s.active && s.specialist), clientName, clientEmail });
      } catch (e) {
        if (live) setError(errorText(t, e, { not_found: t('booking.requestNotFound') }));
      }
    })();
    return () => {
      live = false;
    };
  }, [institutionId, requestId, t]);

  if (!institutionId) return <Alert color="yellow">{t('booking.noInstitution')}</Alert>;
  if (error)
    return (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    );
  if (!loaded) return <PageLoader />;
  return <BookingForm institutionId={institutionId} {...loaded} />;
}

/** A large choice card (profession, specialist, form): a toggle button with its state said aloud. */
function Choice({
  selected,
  disabled,
  onClick,
  testId,
  data,
  children,
}: {
  selected: boolean;
  disabled?: boolean;
  onClick: () => void;
  testId: string;
  data?: Record<string, string>;
  children: ReactNode;
}) {
  return (
    <UnstyledButton
      className={classes.choice}
      aria-pressed={selected}
      disabled={disabled}
      onClick={onClick}
      data-testid={testId}
      {...data}
      p="md"
      style={{
        border: `2px solid var(--mantine-color-${selected ? 'sea-7' : 'gray-4'})`,
        borderRadius: 'var(--mantine-radius-md)',
        background: selected ? 'var(--mantine-color-sea-0)' : undefined,
        opacity: disabled ? 0.7 : 1,
        cursor: disabled ? 'not-allowed' : 'pointer',
        minHeight: 56,
      }}
    >
      {children}
    </UnstyledButton>
  );
}

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <Stack gap="sm" component="section" aria-label={title}>
      <Title order={2} size="h3">
        {n}. {title}
      </Title>
      {children}
    </Stack>
  );
}

interface Values {
  clientName: string;
  clientEmail: string;
}

function BookingForm({ institutionId, request, specialists, clientName, clientEmail }: Loaded & { institutionId: string }) {
  const { t, i18n } = useTranslation();
  // From a route sheet's line: its profession, specialist and form chosen at the start (changeable).
  const [search] = useSearchParams();
  const [preset] = useState(() => presetFrom(search, specialists));
  const [profession, setProfession] = useState<Profession | null>(preset.profession);
  const [specialistId, setSpecialistId] = useState<string | null>(preset.specialistId);
  const [duration, setDuration] = useState<number>(DEFAULT_DURATION);
  const [consultationForm, setConsultationForm] = useState<ConsultationForm>(preset.form ?? 'online');
  const [start, setStart] = useState<string | null>(null);
  const [timeZone, setTimeZone] = useState<string | undefined>(undefined);
  const [reloadKey, setReloadKey] = useState(0);
  const [free, setFree] = useState<Record<string, boolean | undefined>>({});
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [booked, setBooked] = useState<Consultation | null>(null);
  const form = useForm<Values>({
    initialValues: { clientName, clientEmail },
    validate: {
      clientEmail: (v) => (v.trim() && !EMAIL.test(v.trim()) ? t('booking.errors.email') : null),
    },
  });

  const professions = [...new Set(specialists.map((s) => s.specialist!.profession))];
  const ofProfession = specialists.filter((s) => s.specialist!.profession === profession);

  // Which specialists of the profession have free time in the coming month.
  useEffect(() => {
    if (!profession) return;
    const abort = new AbortController();
    const from = new Date(Date.now() + 30 * 60_000).toISOString();
    const to = new Date(Date.now() + 31 * DAY).toISOString();
    for (const s of specialists.filter((x) => x.specialist!.profession === profession)) {
      api
        .call(
          'schedules.free_slots',
          { institutionId, specialistId: s.id },
          { from, to, durationMinutes: duration },
          { signal: abort.signal },
        )
        .then((r) => setFree((f) => ({ ...f, [s.id]: r.slots.length > 0 })))
        .catch(() => setFree((f) => ({ ...f, [s.id]: undefined })));
    }
    return () => abort.abort();
  }, [profession, specialists, institutionId, duration]);

  const onTimeZone = useCallback((z: string) => setTimeZone(z), []);
  const specialist = specialists.find((s) => s.id === specialistId) ?? null;
  const lang = i18n.language;

  const submit = form.onSubmit(async (values) => {
    const byEmail = consultationForm === 'email';
    if (!specialistId || (!start && !byEmail)) return;
    setSaving(true);
    setMessage(null);
    try {
      const name = values.clientName.trim();
      const email = values.clientEmail.trim();
      const created = await api.call(
        'consultations.create',
        { institutionId },
        {
          kind: 'one_to_one',
          direction: 'specialist_client',
          mode: 'on_request',
          form: consultationForm,
          specialistIds: [specialistId],
          // By e-mail no time is held: the server dates it when it is booked.
          start: start ?? new Date().toISOString(),
          durationMinutes: duration,
          requestId: request.id,
          clients: [{ ...(name ? { displayName: name } : {}), ...(email ? { email } : {}) }],
        },
      );
      setBooked(created);
    } catch (e) {
      if (timeWasTaken(e)) {
        setMessage({ color: 'yellow', text: t('booking.errors.taken') });
        setStart(null);
        setReloadKey((k) => k + 1);
      } else {
        const fields = serverFieldErrors(e);
        if (fields?.['clients.0.email']) form.setFieldError('clientEmail', t('booking.errors.email'));
        if (fields?.['clients.0.displayName']) form.setFieldError('clientName', t('booking.errors.name'));
        setMessage({ color: 'red', text: errorText(t, e) });
      }
    } finally {
      setSaving(false);
    }
  });

  if (booked && specialist && booked.form !== 'online')
    return <FormBooked consultation={booked} when={formatDateTime(booked.start, lang, timeZone)} specialistName={specialist.displayName} />;
  if (booked && specialist)
    return (
      <BookingResult consultation={booked} when={formatDateTime(booked.start, lang, timeZone)} specialistName={specialist.displayName} />
    );

  return (
    <form onSubmit={submit} noValidate className={classes.form}>
      <Stack gap="xl">
        <Stack gap={4}>
          <Title order={1}>{t('booking.title')}</Title>
          <Text data-testid="booking-request">
            {t('booking.request', {
              number: request.number,
              date: formatDateTime(request.receivedAt, lang, timeZone),
              from: request.anonymous ? t('booking.anonymous') : request.fromWhom,
            })}
          </Text>
          <Text c="gray.7" lineClamp={3}>
            {request.reason}
          </Text>
          {(preset.profession || preset.form) && (
            <Text fw={500} data-testid="booking-preset">
              {t('staffScreens.bookingPreset')}
            </Text>
          )}
        </Stack>

        <Step n={1} title={t('booking.steps.profession')}>
          {professions.length === 0 && <Text>{t('booking.noSpecialists')}</Text>}
          <Group gap="sm" wrap="wrap">
            {professions.map((p) => (
              <Choice
                key={p}
                selected={profession === p}
                onClick={() => {
                  setProfession(p);
                  setSpecialistId(null);
                  setStart(null);
                }}
                testId="booking-profession"
                data={{ 'data-profession': p }}
              >
                <Text fw={600}>{t(`staff.professions.${p}`)}</Text>
              </Choice>
            ))}
          </Group>
        </Step>

        {profession && (
          <Step n={2} title={t('booking.steps.specialist')}>
            <Group gap="sm" wrap="wrap">
              {ofProfession.map((s) => (
                <Choice
                  key={s.id}
                  selected={specialistId === s.id}
                  disabled={free[s.id] === false}
                  onClick={() => {
                    setSpecialistId(s.id);
                    setStart(null);
                  }}
                  testId="booking-specialist"
                  data={{ 'data-specialist-id': s.id }}
                >
                  <Text fw={600}>{s.displayName}</Text>
                  <Text size="sm">{s.specialist!.title}</Text>
                  <Text size="sm" fw={free[s.id] ? 600 : undefined}>
                    {free[s.id] === undefined ? t('booking.checkingFree') : free[s.id] ? t('booking.hasFree') : t('booking.noFree')}
                  </Text>
                </Choice>
              ))}
            </Group>
          </Step>
        )}

        {specialistId && (
          <Step n={3} title={t('booking.steps.form')}>
            <FormChoice
              value={consultationForm}
              answerDueAt={request.answerDueAt}
              timeZone={timeZone}
              onChange={(f) => {
                // Choosing the same form again keeps the chosen time; another form asks anew.
                if (f === consultationForm) return;
                setConsultationForm(f);
                setStart(null);
              }}
            />
          </Step>
        )}

        {specialistId && consultationForm !== 'email' && (
          <>
            <Step n={4} title={t('booking.steps.duration')}>
              <NativeSelect
                size="lg"
                maw={260}
                label={t('booking.duration')}
                value={String(duration)}
                onChange={(e) => setDuration(Number(e.currentTarget.value))}
                data={DURATIONS.map((d) => ({ value: String(d), label: t('booking.minutes', { count: d }) }))}
                data-testid="booking-duration"
              />
            </Step>
            <Step n={5} title={t('booking.steps.time')}>
              <SlotPicker
                form={consultationForm === 'phone' ? 'phone' : 'online'}
                institutionId={institutionId}
                specialistId={specialistId}
                durationMinutes={duration}
                value={start}
                onChange={setStart}
                reloadKey={reloadKey}
                onTimeZone={onTimeZone}
              />
            </Step>
          </>
        )}

        {(start || (specialistId && consultationForm === 'email')) && (
          <>
            <Step n={6} title={t('booking.steps.client')}>
              <Paper withBorder radius="md" p="md">
                <Stack gap="sm">
                  <TextInput
                    size="md"
                    label={t('booking.clientName')}
                    description={t('booking.clientNameHint')}
                    {...form.getInputProps('clientName')}
                    data-testid="booking-client-name"
                  />
                  <TextInput
                    size="md"
                    type="email"
                    label={t('booking.clientEmail')}
                    description={t('booking.clientEmailHint')}
                    {...form.getInputProps('clientEmail')}
                    data-testid="booking-client-email"
                  />
                </Stack>
              </Paper>
            </Step>
          </>
        )}

        {message && (
          <Alert color={message.color} role="alert" data-testid="booking-message">
            {message.text}
          </Alert>
        )}
        <Group>
          <Button
            type="submit"
            size="lg"
            disabled={(!start && !(specialistId && consultationForm === 'email')) || saving}
            leftSection={saving ? <Loader size="xs" color="white" /> : undefined}
            data-testid="booking-submit"
          >
            {t('booking.submit')}
          </Button>
          {start && timeZone && (
            <Text data-testid="booking-summary">
              {t('booking.summary', { when: formatDateTime(start, lang, timeZone), minutes: duration })}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
