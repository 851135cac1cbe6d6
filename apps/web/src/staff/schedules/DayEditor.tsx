import { ActionIcon, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import type { ScheduleBlock } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { dayProblems, dayText } from './schedule-blocks.ts';

/** One day's hours: a list of «с — до» rows to edit, add and remove. */
export function DayEditor({
  date,
  blocks,
  inForce,
  dayOff,
  editable,
  onChange,
}: {
  date: string;
  blocks: readonly ScheduleBlock[];
  /** The approved hours of the day while a correction differs from them (null: nothing to compare). */
  inForce: readonly ScheduleBlock[] | null;
  dayOff: boolean;
  editable: boolean;
  onChange: (day: ScheduleBlock[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const problems = dayProblems(blocks);
  const title = new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'long', weekday: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
  const set = (i: number, patch: Partial<ScheduleBlock>) => onChange(blocks.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  const last = blocks[blocks.length - 1];
  const add = () =>
    onChange([
      ...blocks,
      last ? { date, start: last.end, end: last.end < '16:00' ? '16:00' : last.end } : { date, start: '09:00', end: '13:00' },
    ]);

  return (
    <Paper withBorder p="md" radius="md" data-testid="schedule-day-editor">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {title}
        </Title>
        {dayOff && <Text c="dimmed">{t('schedules.day.dayOff')}</Text>}
        {inForce && (
          <Text size="sm" c="orange.9" data-testid="schedule-day-in-force">
            {inForce.length > 0 ? t('schedules.day.inForce', { text: dayText(inForce) }) : t('schedules.day.inForceNone')}
          </Text>
        )}
        {blocks.length === 0 && <Text>{t('schedules.day.none')}</Text>}
        {blocks.map((b, i) => {
          const problem = problems.get(i);
          const error = problem ? t(`schedules.problems.${problem}`) : undefined;
          return (
            <Group key={i} gap="sm" align="flex-start" wrap="nowrap">
              <TimeInput
                label={t('schedules.day.from')}
                size="md"
                value={b.start}
                readOnly={!editable}
                onChange={(e) => set(i, { start: e.currentTarget.value.slice(0, 5) })}
                error={problem === 'overlap' || problem === 'time' ? error : undefined}
                data-testid={`schedule-block-${i}-start`}
                style={{ flex: 1 }}
              />
              <TimeInput
                label={t('schedules.day.to')}
                size="md"
                value={b.end}
                readOnly={!editable}
                onChange={(e) => set(i, { end: e.currentTarget.value.slice(0, 5) })}
                error={problem === 'order' ? error : undefined}
                data-testid={`schedule-block-${i}-end`}
                style={{ flex: 1 }}
              />
              {editable && (
                <ActionIcon
                  variant="default"
                  size={42}
                  mt={26}
                  aria-label={t('schedules.day.remove', { text: `${b.start}–${b.end}` })}
                  onClick={() => onChange(blocks.filter((_, j) => j !== i))}
                  data-testid={`schedule-block-${i}-remove`}
                >
                  ✕
                </ActionIcon>
              )}
            </Group>
          );
        })}
        {editable ? (
          <Group>
            <Button variant="light" size="md" onClick={add} data-testid="schedule-block-add">
              {t('schedules.day.add')}
            </Button>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('schedules.day.readOnly')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
