import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import type { InstitutionReportMonth, ReportRow } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api } from '../api.ts';
import { errorText, formatDateTime } from '../format.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { RecordsModal } from './RecordsModal.tsx';
import { MonthField } from './MonthField.tsx';
import { ManualFigures } from './form-rows/ManualFigures.tsx';
import { manualEditable } from './form-rows/manual-figures.ts';
import { STATUS_COLOR, dayText, drillable, figureText, monthOf, monthText, sectionsOf } from './report-format.ts';

// `/reports` — the institution's monthly report: the form's sections with their figures (each
// count opens the records behind it), the status and due day, «Отправить отчёт» for the head,
// later corrections, the 12-month trend and the downloads. The admin picks the institution.

const REPORT_ROLES = ['head', 'admin'] as const;

export function ReportsPage() {
  return (
    <StaffPage roles={REPORT_ROLES} size={1100}>
      <Reports />
    </StaffPage>
  );
}

/** The month's text of a server refusal: this API's conflicts come in Russian words already. */
export function reportError(t: ReturnType<typeof useTranslation>['t'], e: unknown): string {
  if (e instanceof ApiError && (e.code === 'conflict' || e.code === 'forbidden') && /[а-я]/i.test(e.message)) return e.message;
  return errorText(t, e);
}

function Reports() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const user = session?.user;
  const isHead = user?.role === 'head';
  const [month, setMonth] = useState(() => monthOf(new Date()));
  const [institutions, setInstitutions] = useState<{ value: string; label: string }[]>([]);
  const [institutionId, setInstitutionId] = useState<string | null>(user?.institutionId ?? null);
  const [resourceCentre, setResourceCentre] = useState(false);
  const [report, setReport] = useState<InstitutionReportMonth | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [figure, setFigure] = useState<{ key: string; label: string } | null>(null);

  useEffect(() => {
    let live = true;
    api.call('institutions.list', {}).then(
      (r) => {
        if (!live) return;
        setInstitutions(r.institutions.map((i) => ({ value: i.id, label: i.name })));
        if (!isHead) setInstitutionId((id) => id ?? r.institutions[0]?.id ?? null);
        setResourceCentre(!isHead || r.institutions.some((i) => i.id === user?.institutionId && i.resourceCentre));
      },
      (e: unknown) => live && setError(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [isHead, t, user?.institutionId]);

  const load = useCallback(async () => {
    if (!institutionId) return;
    setError(null);
    try {
      setReport(await api.call('reports.month', { institutionId, month }));
    } catch (e) {
      setReport(null);
      setError(errorText(t, e));
    }
  }, [institutionId, month, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const [confirming, setConfirming] = useState(false);
  // A submission refused for empty hand-entered rows names them as fields ('values.<key>').
  const [submitErrors, setSubmitErrors] = useState<Record<string, string> | null>(null);
  const submit = async () => {
    if (!institutionId) return;
    setBusy(true);
    setSubmitErrors(null);
    try {
      setReport(await api.call('reports.submit', { institutionId, month }, {}));
      notifications.show({ color: 'green', message: t('reports.submitted') });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'conflict' && e.details && typeof e.details === 'object')
        setSubmitErrors(e.details as Record<string, string>);
      notifications.show({ color: 'red', message: reportError(t, e) });
    } finally {
      setBusy(false);
    }
  };

  const lang = i18n.language;
  const shown = report && (report.status === 'submitted' || report.status === 'accepted') && report.frozen ? report.frozen : report?.live;
  const figureButton = (row: ReportRow) => {
    const text = figureText(shown?.[row.key], row.kind, lang);
    if (!drillable(row) || !institutionId) return <Text fw={600}>{text}</Text>;
    return (
      <UnstyledButton
        onClick={() => setFigure({ key: row.key, label: row.label })}
        aria-label={t('reports.openRecords', { label: row.label, value: text })}
        data-testid={`report-figure-${row.key}`}
        style={{ minWidth: 44, minHeight: 36, textAlign: 'right', textDecoration: 'underline dotted', fontWeight: 600 }}
      >
        {text}
      </UnstyledButton>
    );
  };

  return (
    <DatesProvider settings={{ locale: lang.startsWith('en') ? 'en' : 'ru' }}>
      <Stack gap="lg">
        <Group justify="space-between" wrap="wrap">
          <Title order={1}>{t('reports.title')}</Title>
          <Group gap="sm">
            {resourceCentre && (
              <Anchor component={Link} to="/reports/consolidated" size="lg" data-testid="reports-to-consolidated">
                {t('reports.toConsolidated')}
              </Anchor>
            )}
            {user?.role === 'admin' && (
              <Anchor component={Link} to="/reports/settings" size="lg" data-testid="reports-to-settings">
                {t('reports.settings.nav')}
              </Anchor>
            )}
          </Group>
        </Group>
        <Group align="flex-end" wrap="wrap">
          <MonthField month={month} onChange={setMonth} testId="report-month" />
          {!isHead && (
            <Select
              size="md"
              label={t('reports.institution')}
              data={institutions}
              value={institutionId}
              onChange={setInstitutionId}
              w={{ base: '100%', sm: 340 }}
              allowDeselect={false}
              data-testid="report-institution"
            />
          )}
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {!report && !error && <Loader aria-label={t('staff.loading')} />}
        {report && (
          <>
            <Paper withBorder p="md" radius="md">
              <Stack gap="xs">
                <Group gap="sm" wrap="wrap">
                  <Badge size="lg" color={STATUS_COLOR[report.status]} data-testid="report-status">
                    {t(`reports.status.${report.status}`)}
                  </Badge>
                  {report.overdue && (
                    <Badge size="lg" color="red">
                      {t('reports.overdue')}
                    </Badge>
                  )}
                </Group>
                <Text>
                  {t('reports.periodLine', {
                    month: monthText(report.month, lang),
                    from: dayText(report.period.firstDay, lang),
                    to: dayText(report.period.lastDay, lang),
                  })}
                </Text>
                <Text>{t('reports.dueLine', { day: dayText(report.dueDate, lang) })}</Text>
                {report.submittedAt && (
                  <Text c="dimmed">
                    {t('reports.submittedLine', {
                      at: formatDateTime(report.submittedAt, lang, report.period.timeZone),
                      who: report.submittedBy ?? '—',
                    })}
                  </Text>
                )}
                {report.returnComment && (
                  <Alert color="orange" title={t('reports.returnedTitle')} data-testid="report-return-comment">
                    {report.returnComment}
                  </Alert>
                )}
                <Group gap="sm" wrap="wrap" mt="xs">
                  {report.canSubmit && (
                    <Button size="md" loading={busy} onClick={() => setConfirming(true)} data-testid="report-submit">
                      {report.status === 'returned' ? t('reports.resubmit') : t('reports.submit')}
                    </Button>
                  )}
                  <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('reports.confirmSubmit.title')} centered>
                    <Stack gap="md">
                      <Text>{t('reports.confirmSubmit.body', { month: monthText(month, lang) })}</Text>
                      <Group justify="flex-end" gap="sm">
                        <Button size="md" variant="default" onClick={() => setConfirming(false)}>
                          {t('reports.confirmSubmit.cancel')}
                        </Button>
                        <Button
                          size="md"
                          loading={busy}
                          onClick={() => {
                            setConfirming(false);
                            void submit();
                          }}
                          data-testid="report-submit-confirm"
                        >
                          {t('reports.confirmSubmit.ok')}
                        </Button>
                      </Group>
                    </Stack>
                  </Modal>
                  <Button
                    component="a"
                    variant="default"
                    size="md"
                    href={api.href('reports.export', { institutionId: report.institutionId, month }, { format: 'xlsx' })}
                    download
                    data-testid="report-download-xlsx"
                  >
                    {t('reports.downloadXlsx')}
                  </Button>
                  <Button
                    component="a"
                    variant="default"
                    size="md"
                    href={api.href('reports.export', { institutionId: report.institutionId, month }, { format: 'csv' })}
                    download
                    data-testid="report-download-csv"
                  >
                    {t('reports.downloadCsv')}
                  </Button>
                </Group>
              </Stack>
            </Paper>
            {isHead && institutionId && manualEditable(report) && (
              <ManualFigures report={report} institutionId={institutionId} onSaved={setReport} submitErrors={submitErrors} />
            )}
            {report.corrections.length > 0 && (
              <Alert color="yellow" title={t('reports.corrections.title')} data-testid="report-corrections">
                <Text mb="xs">{t('reports.corrections.hint')}</Text>
                {report.corrections.map((c) => (
                  <Text key={c.key}>
                    {t('reports.corrections.line', {
                      label: c.label,
                      frozen: figureText(c.frozen, 'average', lang),
                      live: figureText(c.live, 'average', lang),
                    })}
                  </Text>
                ))}
              </Alert>
            )}
            <TrendChart report={report} />
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
              {/* While the head enters the added rows above, they are not repeated here. */}
              {sectionsOf(isHead && manualEditable(report) ? report.rows.filter((r) => !r.manual) : report.rows).map((s) => (
                <Paper key={s.section} withBorder p="md" radius="md" data-testid={`report-section-${s.section}`}>
                  <Title order={2} size="h4" mb="xs">
                    {s.label}
                  </Title>
                  <Stack gap={4}>
                    {s.rows.map((row) => (
                      <Group key={row.key} justify="space-between" wrap="nowrap" gap="sm">
                        <Text>{row.label}</Text>
                        {figureButton(row)}
                      </Group>
                    ))}
                  </Stack>
                </Paper>
              ))}
            </SimpleGrid>
          </>
        )}
        {institutionId && (
          <RecordsModal
            institutionId={institutionId}
            month={month}
            figure={figure}
            timeZone={report?.period.timeZone}
            onClose={() => setFigure(null)}
          />
        )}
      </Stack>
    </DatesProvider>
  );
}

function TrendChart({ report }: { report: InstitutionReportMonth }) {
  const { t, i18n } = useTranslation();
  const data = report.trend.map((p) => ({
    month: monthText(p.month, i18n.language),
    held: p.held,
    requests: p.requests,
    onTime: p.onTimeShare,
  }));
  return (
    <Paper withBorder p="md" radius="md" data-testid="report-trend">
      <Title order={2} size="h4" mb="xs">
        {t('reports.trend.title')}
      </Title>
      <LineChart
        h={240}
        data={data}
        dataKey="month"
        series={[
          { name: 'held', label: t('reports.trend.held'), color: 'blue.6' },
          { name: 'requests', label: t('reports.trend.requests'), color: 'teal.6' },
          { name: 'onTime', label: t('reports.trend.onTime'), color: 'orange.6', yAxisId: 'right' },
        ]}
        withRightYAxis
        // Counts are whole numbers: no «0.25» ticks; figures written the Russian way.
        yAxisProps={{ allowDecimals: false }}
        rightYAxisProps={{ domain: [0, 100], allowDecimals: false }}
        valueFormatter={(v) => new Intl.NumberFormat(i18n.language).format(v)}
        withLegend
        connectNulls
        curveType="linear"
        tickLine="xy"
        lineProps={{ isAnimationActive: false }}
        xAxisProps={{ interval: 'preserveStartEnd' }}
      />
    </Paper>
  );
}
