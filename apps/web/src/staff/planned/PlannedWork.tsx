import { Alert, Badge, Button, Group, Loader, Modal, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { grantOf, type ClientDetails, type RouteSheet } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { useSession } from '../session.tsx';
import { useInstitution } from '../webinars/WebinarsPage.tsx';
import { bookingHref } from '../booking/booking-preset.ts';
import { RouteSheetForm } from './RouteSheetForm.tsx';
import { ServiceActPanel } from './ServiceActPanel.tsx';
import staffClasses from '../staff.module.css';

// Planned work on the client's page: the individual route sheets (each line's planned, held
// and booked consultations; the line's «Записать на консультацию» opens the booking of the
// client's open request with the line's specialist and form chosen) and the month's act of services rendered under ИППСУ / ИПСР.

const OPEN_REQUEST = new Set(['new', 'assigned', 'scheduled']);

export function PlannedWork({ institutionId, client }: { institutionId: string; client: ClientDetails }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const role = session?.user.role ?? 'specialist';
  const canPlan = grantOf('route_sheets.create', role) !== null;
  const canBook = grantOf('consultations.create', role) !== null;
  const { specialists } = useInstitution(institutionId, canPlan);
  const [sheets, setSheets] = useState<RouteSheet[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<RouteSheet | 'new' | null>(null);
  const openRequest = client.requests.find((r) => OPEN_REQUEST.has(r.status)) ?? null;

  const load = useCallback(async () => {
    try {
      setSheets((await api.call('route_sheets.list', { institutionId, clientId: client.id })).sheets);
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [institutionId, client.id, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const day = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${iso}T00:00:00Z`),
    );

  const setStatus = async (sheet: RouteSheet, status: RouteSheet['status']) => {
    try {
      await api.call('route_sheets.update', { institutionId, sheetId: sheet.id }, { status });
      await load();
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  return (
    <DatesProvider settings={{ locale: i18n.language.startsWith('en') ? 'en' : 'ru', firstDayOfWeek: 1 }}>
      <section aria-labelledby="client-route" data-testid="route-sheets">
        <Group justify="space-between" mb="sm" gap="sm">
          <Title order={2} size="h3" id="client-route">
            {t('planned.routeTitle')}
          </Title>
          {canPlan && !client.archivedAt && (
            <Button size="md" variant="light" onClick={() => setEditing('new')} data-testid="route-new">
              {t('planned.newSheet')}
            </Button>
          )}
        </Group>
        {error && (
          <Alert color="red" variant="light" role="alert" mb="sm">
            {error}
          </Alert>
        )}
        {sheets === null && !error && <Loader size="sm" />}
        {sheets?.length === 0 && <Text c="gray.7">{t('planned.noSheets')}</Text>}
        <Stack gap="md">
          {sheets?.map((sheet) => (
            <Paper key={sheet.id} withBorder p="md" radius="md" data-testid="route-sheet" data-id={sheet.id}>
              <Group justify="space-between" gap="xs" align="flex-start">
                <div>
                  <Text fw={600}>{t(`planned.targetGroup.${sheet.targetGroup}`)}</Text>
                  <Text c="gray.7">{t('planned.period', { from: day(sheet.startDate), to: day(sheet.endDate) })}</Text>
                </div>
                <Badge variant="light" color={sheet.status === 'active' ? 'teal' : 'gray'} data-testid="route-status">
                  {t(`planned.status.${sheet.status}`)}
                </Badge>
              </Group>
              {sheet.note && (
                <Text mt="xs" style={{ overflowWrap: 'anywhere' }}>
                  {sheet.note}
                </Text>
              )}
              <Stack gap="sm" mt="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {sheet.lines.map((line) => (
                  <Paper component="li" key={line.id} withBorder p="sm" radius="md" data-testid="route-line">
                    <Group justify="space-between" gap="xs">
                      <Text fw={600}>
                        {t(`planned.professions.${line.profession}`)} · {t(`planned.forms.${line.form}`)}
                      </Text>
                      <Text c="gray.7">{t(`planned.frequencies.${line.frequency}`)}</Text>
                    </Group>
                    <Text>{line.specialist.displayName}</Text>
                    <Progress
                      mt={6}
                      size="lg"
                      value={Math.min(100, (line.held / line.plannedCount) * 100)}
                      aria-label={t('planned.progress', { held: line.held, planned: line.plannedCount, booked: line.booked })}
                    />
                    <Text size="sm" mt={4} data-testid="route-line-progress">
                      {t('planned.progress', { held: line.held, planned: line.plannedCount, booked: line.booked })}
                    </Text>
                    {line.note && (
                      <Text size="sm" c="gray.7" style={{ overflowWrap: 'anywhere' }}>
                        {line.note}
                      </Text>
                    )}
                    {sheet.status === 'active' && canBook && openRequest && (
                      <Button
                        mt="xs"
                        size="md"
                        fullWidth={phone}
                        className={staffClasses.wrap}
                        component={Link}
                        to={bookingHref(openRequest.id, line)}
                        aria-label={t('staffScreens.bookLine', {
                          profession: t(`planned.professions.${line.profession}`),
                          name: line.specialist.displayName,
                        })}
                        data-testid="route-book"
                      >
                        {t('planned.book')}
                      </Button>
                    )}
                  </Paper>
                ))}
              </Stack>
              <Group mt="sm" gap="sm">
                {sheet.status === 'active' && canBook && !openRequest && (
                  <Text size="sm" c="gray.7">
                    {t('planned.noRequest')}
                  </Text>
                )}
                {canPlan && (
                  <>
                    <Button size="md" variant="default" onClick={() => setEditing(sheet)} data-testid="route-edit">
                      {t('planned.editSheet')}
                    </Button>
                    <Button
                      size="md"
                      variant="subtle"
                      onClick={() => void setStatus(sheet, sheet.status === 'active' ? 'closed' : 'active')}
                      data-testid="route-close"
                    >
                      {sheet.status === 'active' ? t('planned.closeSheet') : t('planned.reopenSheet')}
                    </Button>
                  </>
                )}
              </Group>
            </Paper>
          ))}
        </Stack>
        <Modal
          opened={editing !== null}
          onClose={() => setEditing(null)}
          size="xl"
          centered
          fullScreen={phone}
          title={editing === 'new' ? t('planned.newSheet') : t('planned.routeTitle')}
          closeButtonProps={{ 'aria-label': t('planned.close') }}
        >
          {editing !== null && (
            <RouteSheetForm
              institutionId={institutionId}
              clientId={client.id}
              sheet={editing === 'new' ? null : editing}
              specialists={specialists}
              onCancel={() => setEditing(null)}
              onSaved={() => {
                setEditing(null);
                notifications.show({ color: 'teal', message: t('planned.saved'), closeButtonProps: { 'aria-label': t('planned.close') } });
                void load();
              }}
            />
          )}
        </Modal>
      </section>
      <ServiceActPanel institutionId={institutionId} clientId={client.id} />
    </DatesProvider>
  );
}
