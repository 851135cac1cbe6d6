import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Paper, ScrollArea, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { ConsolidatedInstitution, ConsolidatedMonth } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { reportError } from './ReportsPage.tsx';
import { MonthField } from './MonthField.tsx';
import { ConsolidatedCards, ReportTimes, TableBox } from './ConsolidatedCards.tsx';
import { STATUS_COLOR, dayText, figureText, monthOf, monthText } from './report-format.ts';

// `/reports/consolidated` — the department's month: every institution's status and key
// figures (frozen where submitted, live and marked otherwise), «Принять» / «Вернуть с
// комментарием» for the resource centre, the analytical note (draft, edit, send) and the
// downloads. The department's admin and the resource centre (a head of an institution flagged one).

const ROLES = ['head', 'admin'] as const;
const KEY_FIGURES = [
  'consultations.held',
  'requests.received',
  'requests.answered_on_time',
  'requests.answered_late',
  'feedback.answers',
] as const;

export function ConsolidatedPage() {
  return (
    <StaffPage roles={ROLES} size={1200}>
      <Consolidated />
    </StaffPage>
  );
}

function Consolidated() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const departmentId = session?.user.departmentId ?? null;
  const [month, setMonth] = useState(() => monthOf(new Date()));
  const [data, setData] = useState<ConsolidatedMonth | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [returning, setReturning] = useState<ConsolidatedInstitution | null>(null);
  const lang = i18n.language;
  // A phone shows a card per institution (no table scrolled sideways).
  const phone = useMediaQuery('(max-width: 48em)') ?? false;

  const load = useCallback(async () => {
    if (!departmentId) return;
    setError(null);
    try {
      setData(await api.call('reports.consolidated', { departmentId, month }));
    } catch (e) {
      setData(null);
      setError(reportError(t, e));
    }
  }, [departmentId, month, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const accept = async (i: ConsolidatedInstitution) => {
    try {
      await api.call('reports.accept', { institutionId: i.institutionId, month }, {});
      notifications.show({ color: 'green', message: t('reports.consolidated.accepted', { name: i.name }) });
      await load();
    } catch (e) {
      notifications.show({ color: 'red', message: reportError(t, e) });
    }
  };

  const rowOf = (key: string) => data?.rows.find((r) => r.key === key);
  // The key figures, then the rows the department added to the form (entered by hand).
  const figureKeys = [...KEY_FIGURES, ...(data?.rows.filter((r) => r.manual).map((r) => r.key) ?? [])];
  const href = (format: 'xlsx' | 'csv') =>
    departmentId ? api.href('reports.consolidated_export', { departmentId, month }, { format }) : '#';

  return (
    <DatesProvider settings={{ locale: lang.startsWith('en') ? 'en' : 'ru' }}>
      <Stack gap="lg">
        <Group justify="space-between" wrap="wrap">
          <Title order={1}>{t('reports.consolidated.title')}</Title>
          <Anchor component={Link} to="/reports" size="lg">
            {t('reports.toInstitution')}
          </Anchor>
        </Group>
        <Group align="flex-end" wrap="wrap">
          <MonthField month={month} onChange={setMonth} testId="consolidated-month" />
          <Button component="a" variant="default" size="md" href={href('xlsx')} download data-testid="consolidated-download-xlsx">
            {t('reports.downloadXlsx')}
          </Button>
          <Button component="a" variant="default" size="md" href={href('csv')} download data-testid="consolidated-download-csv">
            {t('reports.downloadCsv')}
          </Button>
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {!data && !error && <Loader aria-label={t('staff.loading')} />}
        {data && (
          <>
            <Text>
              {t('reports.consolidated.dueLine', {
                month: monthText(data.month, lang),
                institutions: dayText(data.institutionDueDate, lang),
                consolidated: dayText(data.consolidatedDueDate, lang),
              })}
            </Text>
            <Text size="sm" c="gray.7">
              {t('staffScreens.consolidated.zones')}
            </Text>
            {phone && <ConsolidatedCards data={data} keys={figureKeys} onAccept={(i) => void accept(i)} onReturn={setReturning} />}
            <TableBox hidden={phone}>
              <ScrollArea type="auto">
                <Table striped miw={900} verticalSpacing="sm" data-testid="consolidated-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('reports.institution')}</Table.Th>
                      <Table.Th>{t('reports.consolidated.status')}</Table.Th>
                      {figureKeys.map((k) => (
                        <Table.Th key={k} ta="right">
                          {rowOf(k)?.label ?? k}
                        </Table.Th>
                      ))}
                      {data.resourceCentre && <Table.Th>{t('reports.consolidated.decision')}</Table.Th>}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.institutions.map((i) => (
                      <Table.Tr key={i.institutionId} data-testid={`consolidated-row-${i.institutionId}`}>
                        <Table.Td>
                          <Text fw={600}>{i.name}</Text>
                          {!i.frozen && (
                            <Text size="sm" c="dimmed">
                              {t('reports.consolidated.live')}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td miw={170}>
                          <Stack gap={4} align="flex-start">
                            <Badge color={STATUS_COLOR[i.status]} style={{ overflow: 'visible' }} data-testid="consolidated-status">
                              {t(`reports.status.${i.status}`)}
                            </Badge>
                            {i.late && <Badge color="red">{t('reports.consolidated.late')}</Badge>}
                            <ReportTimes i={i} />
                          </Stack>
                        </Table.Td>
                        {figureKeys.map((k) => (
                          <Table.Td key={k} ta="right">
                            {figureText(i.figures[k], rowOf(k)?.kind ?? 'count', lang)}
                          </Table.Td>
                        ))}
                        {data.resourceCentre && (
                          <Table.Td>
                            {i.status === 'submitted' && (
                              <Stack gap="xs" align="flex-start">
                                <Button size="sm" onClick={() => void accept(i)} data-testid="consolidated-accept">
                                  {t('reports.consolidated.accept')}
                                </Button>
                                <Button size="sm" variant="default" onClick={() => setReturning(i)} data-testid="consolidated-return">
                                  {t('reports.consolidated.return')}
                                </Button>
                              </Stack>
                            )}
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                    <Table.Tr>
                      <Table.Td colSpan={2}>
                        <Text fw={700}>{t('reports.consolidated.total')}</Text>
                      </Table.Td>
                      {figureKeys.map((k) => (
                        <Table.Td key={k} ta="right" fw={700} data-testid={`consolidated-total-${k}`}>
                          {figureText(data.totals[k], rowOf(k)?.kind ?? 'count', lang)}
                        </Table.Td>
                      ))}
                      {data.resourceCentre && <Table.Td />}
                    </Table.Tr>
                  </Table.Tbody>
                </Table>
              </ScrollArea>
            </TableBox>
            <NoteEditor data={data} departmentId={departmentId!} onChanged={load} />
          </>
        )}
        <ReturnModal month={month} institution={returning} onClose={() => setReturning(null)} onDone={load} />
      </Stack>
    </DatesProvider>
  );
}

function ReturnModal({
  month,
  institution,
  onClose,
  onDone,
}: {
  month: string;
  institution: ConsolidatedInstitution | null;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setComment('');
    setFieldError(null);
  }, [institution]);
  const send = async () => {
    if (!institution) return;
    if (!comment.trim()) return setFieldError(t('reports.consolidated.commentRequired'));
    setBusy(true);
    try {
      await api.call('reports.return', { institutionId: institution.institutionId, month }, { comment });
      notifications.show({ color: 'green', message: t('reports.consolidated.returned', { name: institution.name }) });
      onClose();
      await onDone();
    } catch (e) {
      const fields = serverFieldErrors(e);
      if (fields?.comment) setFieldError(t('reports.consolidated.commentRequired'));
      else notifications.show({ color: 'red', message: reportError(t, e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={institution !== null} onClose={onClose} title={t('reports.consolidated.returnTitle', { name: institution?.name ?? '' })}>
      <Stack>
        <Textarea
          size="md"
          autosize
          minRows={3}
          label={t('reports.consolidated.comment')}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          error={fieldError}
          maxLength={2000}
          data-testid="consolidated-return-comment"
        />
        <Button size="md" loading={busy} onClick={() => void send()} data-testid="consolidated-return-send">
          {t('reports.consolidated.returnSend')}
        </Button>
      </Stack>
    </Modal>
  );
}

function NoteEditor({ data, departmentId, onChanged }: { data: ConsolidatedMonth; departmentId: string; onChanged: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState(data.note.text ?? '');
  const [busy, setBusy] = useState<'draft' | 'save' | 'send' | null>(null);
  useEffect(() => setText(data.note.text ?? ''), [data.note.text, data.month]);
  const sent = data.note.sentAt !== null;
  const params = { departmentId, month: data.month };
  const run = async (what: 'draft' | 'save' | 'send') => {
    setBusy(what);
    try {
      if (what === 'draft') setText((await api.call('reports.note_draft', params)).text);
      if (what === 'save') {
        await api.call('reports.note_save', params, { text });
        notifications.show({ color: 'green', message: t('reports.note.saved') });
      }
      if (what === 'send') {
        await api.call('reports.note_save', params, { text });
        await api.call('reports.note_send', params, {});
        notifications.show({ color: 'green', message: t('reports.note.sentDone') });
        await onChanged();
      }
    } catch (e) {
      notifications.show({ color: 'red', message: reportError(t, e) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <Paper withBorder p="md" radius="md" data-testid="consolidated-note">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t('reports.note.title')}
        </Title>
        {sent ? (
          <>
            <Text c="dimmed">
              {t('reports.note.sentLine', {
                // The resource centre sends it: its clock.
                at: formatDateTime(data.note.sentAt!, i18n.language, data.institutions.find((i) => i.resourceCentre)?.timeZone),
                who: data.note.sentBy ?? '—',
              })}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="consolidated-note-text">
              {data.note.text}
            </Text>
          </>
        ) : data.resourceCentre ? (
          <>
            <Textarea
              size="md"
              autosize
              minRows={8}
              maxRows={24}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              aria-label={t('reports.note.title')}
              maxLength={20000}
              data-testid="consolidated-note-text"
            />
            <Group gap="sm" wrap="wrap">
              <Button
                size="md"
                variant="default"
                loading={busy === 'draft'}
                onClick={() => void run('draft')}
                data-testid="consolidated-note-draft"
              >
                {t('reports.note.draft')}
              </Button>
              <Button
                size="md"
                variant="default"
                loading={busy === 'save'}
                disabled={!text.trim()}
                onClick={() => void run('save')}
                data-testid="consolidated-note-save"
              >
                {t('reports.note.save')}
              </Button>
              <Button
                size="md"
                loading={busy === 'send'}
                disabled={!text.trim()}
                onClick={() => void run('send')}
                data-testid="consolidated-note-send"
              >
                {t('reports.note.send')}
              </Button>
            </Group>
          </>
        ) : (
          <Text c="dimmed">{data.note.text ?? t('reports.note.none')}</Text>
        )}
      </Stack>
    </Paper>
  );
}
