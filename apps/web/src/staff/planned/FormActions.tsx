import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// The end of a planned-work form (the route sheet, the dyad's results): what went wrong, then
// «Отмена» and «Сохранить» (a submit button unless `onSave` is given).

export function FormActions({
  failure,
  busy,
  onCancel,
  onSave,
  saveTestId,
}: {
  failure: string | null;
  busy: boolean;
  onCancel: () => void;
  onSave?: () => void;
  saveTestId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      {failure && (
        <Text c="red.9" role="alert">
          {failure}
        </Text>
      )}
      <Group justify="flex-end" gap="sm">
        <Button size="md" variant="default" onClick={onCancel}>
          {t('planned.cancel')}
        </Button>
        <Button size="md" type={onSave ? 'button' : 'submit'} onClick={onSave} loading={busy} data-testid={saveTestId}>
          {t('planned.save')}
        </Button>
      </Group>
    </>
  );
}
