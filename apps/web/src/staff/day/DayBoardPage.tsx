import { Alert, Anchor, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { grantOf, type DayBoard, type Institution } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { useRefresh } from '../use-refresh.ts';
import { errorText } from '../format.ts';
import { StaffPage } from '../StaffPage.tsx';
import { useSignedIn } from '../session.tsx';
import { ClientAnswers } from './ClientAnswers.tsx';
import { ConsultationCard } from './ConsultationCard.tsx';
import { FamiliesToCall } from './FamiliesToCall.tsx';
import { shiftDate } from './day-date.ts';
import { SpecialistIll } from './SpecialistIll.tsx';

/** The board refreshes itself this often (and when the tab comes back into view). */
const REFRESH_MS = 15_000;

/** `/day` — the head's day board; a specialist's own day; the social worker's families to phone. */
export function DayBoardPage() {
  return (
    <StaffPage size={1100}>
      <Board />
    </StaffPage>
  );
}

function Board() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const own = session.user.role === 'specialist';
  const [institutionId, setInstitutionId] = useState<string | null>(session.user.institutionId);
  const [institutions, setInstitutions] = useState<Institution[] | null>(null);
  const [date, setDate] = useState<string | undefined>(undefined);
  const [board, setBoard] = useState<DayBoard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  // A department's admin chooses the institution first.
  useEffect(() => {
    if (session.user.institutionId) return;
    api.call('institutions.list', {}).then(
      (r) => {
        setInstitutions(r.institutions);
        setInstitutionId((id) => id ?? r.institutions[0]?.id ?? null);
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [session.user.institutionId, t]);

  const load = useCallback(async () => {
    if (!institutionId) return;
    try {
      const next = await api.call('day.board', { institutionId }, date ? { date } : {});
      setBoard(next);
      setError(null);
      setUpdatedAt(new Date());
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [institutionId, date, t]);

  useRefresh(load, REFRESH_MS);

  const shown = board?.date ?? date;
  const heading = shown
    ? new Intl.DateTimeFormat(i18n.language, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
        new Date(`${shown}T00:00:00Z`),
      )
    : '';
  const timeFmt = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' });

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{own ? t('day.titleOwn') : t('day.title')}</Title>
        <Text size="lg" fw={600} data-testid="day-date">
          {heading}
        </Text>
        {updatedAt && (
          <Text size="sm" c="gray.7" aria-live="polite">
            {t('day.updated', { time: timeFmt.format(updatedAt) })}
          </Text>
        )}
      </Stack>
      {institutions && institutions.length > 1 && (
        <Select
          label={t('day.institution')}
          data={institutions.map((i) => ({ value: i.id, label: i.name }))}
          value={institutionId}
          onChange={setInstitutionId}
          allowDeselect={false}
          size="md"
          maw={420}
        />
      )}
      <Group gap="sm">
        <Button variant="default" size="md" onClick={() => shown && setDate(shiftDate(shown, -1))} data-testid="day-prev">
          {t('day.prev')}
        </Button>
        <Button variant="default" size="md" onClick={() => setDate(undefined)} disabled={date === undefined} data-testid="day-today">
          {t('day.today')}
        </Button>
        <Button variant="default" size="md" onClick={() => shown && setDate(shiftDate(shown, 1))} data-testid="day-next">
          {t('day.next')}
        </Button>
        {board && institutionId && grantOf('consultations.specialist_absence', session.user.role) !== null && (
          <SpecialistIll institutionId={institutionId} date={board.date} timeZone={board.timeZone} onDone={() => void load()} />
        )}
      </Group>
      {error && (
        <Alert color="red" title={t('day.error')}>
          <Group justify="space-between">
            <Text>{error}</Text>
            <Button variant="white" onClick={() => void load()}>
              {t('staff.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {board && <ClientAnswers board={board} />}
      {board && !own && <FamiliesToCall board={board} />}
      {board && (
        <Stack gap="sm" component="section" aria-labelledby="day-consultations">
          <Title order={2} id="day-consultations">
            {t('day.consultations', { count: board.consultations.length })}
          </Title>
          {board.consultations.length === 0 ? (
            <Paper withBorder p="md" radius="md">
              <Text>{t('day.none')}</Text>
            </Paper>
          ) : (
            <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {board.consultations.map((c) => (
                <ConsultationCard key={c.id} row={c} timeZone={board.timeZone} own={own} />
              ))}
            </Stack>
          )}
        </Stack>
      )}
      {!board && !error && <Text c="gray.7">{t('staff.loading')}</Text>}
      {own && (
        <Text c="gray.7">
          <Anchor href="/staff">{t('day.allMine')}</Anchor>
        </Text>
      )}
    </Stack>
  );
}
