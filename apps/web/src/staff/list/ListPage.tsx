import { Alert, Group, Loader, Pagination, Select, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstitutionChoice } from './institutions.ts';
import { shownRange, type ServerList, type ServerPage } from './useServerList.ts';

// The scaffolding of a staff list paged by the server (the two journals, the clients' registry):
// the title with its buttons, the filters, then an error, «loading», «nothing», «shown 1–50 of N»,
// the rows (cards on a phone, a table on a desktop — the page's own) and the page numbers.

/** The widths the lists switch at: `phone` ≤ 48em, `narrow` (cards instead of a wide table) ≤ 64em. */
export function useListLayout(): { phone: boolean; narrow: boolean } {
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const narrow = useMediaQuery('(max-width: 64em)') ?? false;
  return { phone, narrow };
}

export interface ListTexts {
  loading: string;
  empty: string;
  /** «Показаны 1–50 из 120». */
  shown: (range: { from: number; to: number; total: number }) => string;
  /** The page numbers' name for screen readers. */
  pages: string;
}

interface Props<P extends ServerPage> {
  title: string;
  /** Buttons beside the title («Новое обращение», downloads). */
  actions?: ReactNode;
  filters: ReactNode;
  /** The test ids' prefix: `<testId>-shown`, `<testId>-empty`, `<testId>-pages`. */
  testId: string;
  list: ServerList<P>;
  /** The error to show above the rows (in the screen's words), if any. */
  error: string | null;
  /** False while there is nothing to ask yet (no period chosen): no rows, no «loading». */
  ready?: boolean;
  /** The last answer no longer fits the filters (a field error is shown on them). */
  hideRows?: boolean;
  texts: ListTexts;
  /** How many rows the page holds. */
  count: (data: P) => number;
  rows: (data: P) => ReactNode;
  /** Dialogs and the like, after the list. */
  children?: ReactNode;
}

export function ListPage<P extends ServerPage>({
  title,
  actions,
  filters,
  testId,
  list,
  error,
  ready = true,
  hideRows = false,
  texts,
  count,
  rows,
  children,
}: Props<P>) {
  const { t } = useTranslation();
  const { phone } = useListLayout();
  const { data, page, pages } = list;
  const shown = ready && !hideRows ? data : null;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Title order={1}>{title}</Title>
        {actions}
      </Group>
      {filters}
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
      {ready && !data && !list.error && (
        <Group gap="sm">
          <Loader size="sm" />
          <Text>{texts.loading}</Text>
        </Group>
      )}
      {shown && shown.total === 0 && (
        <Text c="gray.7" data-testid={`${testId}-empty`}>
          {texts.empty}
        </Text>
      )}
      {shown && shown.total > 0 && (
        <>
          <Text c="gray.7" aria-live="polite" data-testid={`${testId}-shown`}>
            {texts.shown(shownRange(shown, count(shown)))}
          </Text>
          <div aria-busy={list.busy}>{rows(shown)}</div>
          {pages > 1 && (
            <nav aria-label={texts.pages}>
              <Pagination
                total={pages}
                value={page}
                onChange={list.setPage}
                size={phone ? 'md' : 'lg'}
                getControlProps={(control) => ({ 'aria-label': t(`requests.pageControl.${control}`) })}
                siblings={phone ? 0 : 1}
                data-testid={`${testId}-pages`}
              />
            </nav>
          )}
        </>
      )}
      {children}
    </Stack>
  );
}

/** The institution picker of an admin (more than one institution); nothing otherwise. */
export function InstitutionSelect({
  choice,
  label,
  testId,
  maw,
}: {
  choice: InstitutionChoice;
  label: string;
  testId: string;
  maw?: number;
}) {
  if (choice.institutions.length <= 1) return null;
  return (
    <Select
      label={label}
      size="md"
      maw={maw}
      data={choice.institutions.map((i) => ({ value: i.id, label: i.name }))}
      value={choice.institutionId}
      onChange={(v) => v && choice.setInstitutionId(v)}
      allowDeselect={false}
      data-testid={testId}
    />
  );
}
