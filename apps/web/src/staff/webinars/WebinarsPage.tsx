import { Alert, Badge, Button, Group, Loader, Modal, Paper, SegmentedControl, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { Consultation, Institution, StaffMember } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api.ts';
import { errorText, formatDateTime } from '../format.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { WebinarForm } from './WebinarForm.tsx';

// `/webinars` — the thematic plan (тематический план-график): upcoming and past webinars,
// «Новый вебинар» (one date or a series).

export const WEBINAR_ROLES = ['head', 'specialist'] as const;
const DAY = 86_400_000;
/** consultations.list takes at most 92 days. */
const SPAN = 91 * DAY;

export function WebinarsPage() {
  return (
    <StaffPage roles={WEBINAR_ROLES} size={1100}>
      <Webinars />
    </StaffPage>
  );
}

/** The institution (its time zone) and, for a head, the specialists who may host. */
export function useInstitution(institutionId: string | null, withSpecialists: boolean) {
  const [institution, setInstitution] = useState<Institution | null>(null);
  const [specialists, setSpecialists] = useState<StaffMember[]>([]);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => {
    if (!institutionId) return;
    let live = true;
    Promise.all([
      api.call('institutions.get', { institutionId }),
      withSpecialists ? api.call('staff.list', { institutionId }, { role: 'specialist' }) : Promise.resolve({ staff: [] }),
    ]).then(
      ([i, s]) => {
        if (!live) return;
        setInstitution(i);
        setSpecialists(s.staff.filter((m) => m.active));
      },
      (e: unknown) => live && setFailed(e),
    );
    return () => {
      live = false;
    };
  }, [institutionId, withSpecialists]);
  return { institution, specialists, failed };
}

function Webinars() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const institutionId = session?.user.institutionId ?? null;
  const isHead = session?.user.role === 'head';
  const { institution, specialists, failed } = useInstitution(institutionId, isHead);
  const [when, setWhen] = useState<'upcoming' | 'past'>('upcoming');
  const [rows, setRows] = useState<Consultation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    if (!institutionId) return;
    const now = Date.now();
    const range =
      when === 'upcoming'
        ? { from: new Date(now - DAY).toISOString(), to: new Date(now + SPAN - DAY).toISOString() }
        : { from: new Date(now - SPAN).toISOString(), to: new Date(now).toISOString() };
    try {
      const list = await api.call('consultations.list', { institutionId }, range);
      const webinars = list.consultations.filter((c) => c.kind === 'webinar');
      setRows(when === 'past' ? webinars.reverse() : webinars);
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [institutionId, when, t]);

  useEffect(() => {
    setRows(null);
    void load();
  }, [load]);

  if (!institutionId) return <Alert color="yellow">{t('webinars.noInstitution')}</Alert>;
  const timeZone = institution?.calendar.timeZone;

  return (
    <Stack gap="lg">
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>{t('webinars.title')}</Title>
        <Button size="md" onClick={() => setCreating(true)} disabled={!institution} data-testid="webinar-new">
          {t('webinars.new')}
        </Button>
      </Group>
      {(error || failed !== null) && (
        <Alert color="red" role="alert">
          {error ?? errorText(t, failed)}
        </Alert>
      )}
      <SegmentedControl
        size="md"
        value={when}
        onChange={(v) => setWhen(v as 'upcoming' | 'past')}
        data={[
          { value: 'upcoming', label: t('webinars.upcoming') },
          { value: 'past', label: t('webinars.past') },
        ]}
        aria-label={t('webinars.period')}
        data-testid="webinar-period"
      />
      {rows === null ? (
        <Loader />
      ) : rows.length === 0 ? (
        <Text c="gray.7">{when === 'upcoming' ? t('webinars.noneUpcoming') : t('webinars.nonePast')}</Text>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {rows.map((c) => (
            <li key={c.id}>
              <UnstyledButton
                onClick={() => void navigate(`/webinars/${c.id}`)}
                style={{ display: 'block', width: '100%' }}
                data-testid="webinar-row"
                data-id={c.id}
              >
                <Paper withBorder radius="md" p="md">
                  <Group justify="space-between" wrap="wrap" gap="xs">
                    <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                      {c.note ?? t('webinars.untitled')}
                    </Text>
                    <Group gap="xs">
                      {c.openFloor && <Badge variant="light">{t('webinars.groupBadge')}</Badge>}
                      {c.seriesId && <Badge variant="outline">{t('webinars.seriesBadge')}</Badge>}
                      <Badge color={c.state === 'cancelled' ? 'red' : 'gray'} variant="light">
                        {t(`webinars.state.${c.state}`)}
                      </Badge>
                    </Group>
                  </Group>
                  <Text size="sm" c="gray.7">
                    {formatDateTime(c.start, i18n.language, timeZone)} · {t('webinars.minutes', { count: c.durationMinutes })} ·{' '}
                    {t('webinars.participantsCount', { count: c.participants.filter((p) => p.staffUserId === null).length })}
                  </Text>
                </Paper>
              </UnstyledButton>
            </li>
          ))}
        </Stack>
      )}
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        size="lg"
        centered
        fullScreen={phone}
        title={t('webinars.new')}
        closeButtonProps={{ 'aria-label': t('webinars.close') }}
      >
        {creating && institution && session && (
          <WebinarForm
            institutionId={institutionId}
            timeZone={institution.calendar.timeZone}
            specialists={isHead ? specialists : []}
            selfId={session.user.id}
            onCancel={() => setCreating(false)}
            onCreated={(ids) => {
              setCreating(false);
              notifications.show({ message: t('webinars.created', { count: ids.length }), color: 'teal' });
              setWhen('upcoming');
              void load();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
