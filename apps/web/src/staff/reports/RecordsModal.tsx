import { Alert, Anchor, Loader, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReportRecords } from '@dp/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { errorText, formatDateTime } from '../format.ts';

/** The records behind one figure (drill-down): names only when the server gives them (the institution's head). */
export function RecordsModal({
  institutionId,
  month,
  figure,
  timeZone,
  onClose,
}: {
  institutionId: string;
  month: string;
  figure: { key: string; label: string } | null;
  timeZone: string | undefined;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [data, setData] = useState<ReportRecords | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!figure) return;
    let live = true;
    setData(null);
    setError(null);
    api.call('reports.records', { institutionId, month }, { key: figure.key }).then(
      (r) => live && setData(r),
      (e: unknown) => live && setError(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [figure, institutionId, month, t]);

  const word = (group: string, code: string | null) => (code ? t(`reports.codes.${group}.${code}`, { defaultValue: code }) : '—');

  return (
    <Modal opened={figure !== null} onClose={onClose} title={figure?.label} size="xl" fullScreen={phone} data-testid="report-records">
      {error && <Alert color="red">{error}</Alert>}
      {!data && !error && <Loader aria-label={t('staff.loading')} />}
      {data && (
        <Stack gap="sm">
          <Text c="dimmed" size="sm">
            {data.withNames ? t('reports.records.withNames') : t('reports.records.withoutNames')}
          </Text>
          {data.records.length === 0 ? (
            <Text>{t('reports.records.none')}</Text>
          ) : (
            <ScrollArea type="auto">
              <Table striped miw={640} data-testid="report-records-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('reports.records.at')}</Table.Th>
                    <Table.Th>{t('reports.records.specialist')}</Table.Th>
                    <Table.Th>{t('reports.records.kind')}</Table.Th>
                    <Table.Th>{t('reports.records.form')}</Table.Th>
                    <Table.Th>{t('reports.records.state')}</Table.Th>
                    {data.withNames && <Table.Th>{t('reports.records.names')}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.records.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>
                        {/* Those who may read the names may open the consultation itself. */}
                        {data.withNames && r.type === 'consultation' ? (
                          <Anchor component={Link} to={`/staff/consultations/${r.id}`}>
                            {formatDateTime(r.at, i18n.language, timeZone)}
                          </Anchor>
                        ) : (
                          formatDateTime(r.at, i18n.language, timeZone)
                        )}
                        {r.number && <Text size="sm" c="dimmed">{`№ ${r.number}`}</Text>}
                      </Table.Td>
                      <Table.Td>{r.specialist ?? '—'}</Table.Td>
                      <Table.Td>{word(r.type === 'request' ? 'channel' : 'kind', r.kind)}</Table.Td>
                      <Table.Td>{word('form', r.form)}</Table.Td>
                      <Table.Td>{word(r.type === 'request' ? 'requestStatus' : 'state', r.state)}</Table.Td>
                      {data.withNames && <Table.Td>{r.names?.join(', ') ?? '—'}</Table.Td>}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )}
        </Stack>
      )}
    </Modal>
  );
}
