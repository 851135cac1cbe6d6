import { Button, CopyButton, Group, TextInput } from '@mantine/core';
import { CheckIcon } from '../ui/icons.tsx';
import classes from './staff.module.css';

/** A link to hand over: a read-only field (selected on focus) and a large «Копировать». */
export function CopyableLink({
  url,
  label,
  copyLabel,
  copiedLabel,
  testId,
  generation,
}: {
  url: string;
  label: string;
  copyLabel: string;
  copiedLabel: string;
  /** data-testid of the field; the button gets `${testId}-copy`. */
  testId: string;
  generation?: number;
}) {
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <TextInput
        label={label}
        value={url}
        readOnly
        size="lg"
        onFocus={(e) => e.currentTarget.select()}
        classNames={{ input: classes.link }}
        style={{ flex: '1 1 16rem', minWidth: 0 }}
        data-testid={testId}
        data-generation={generation}
      />
      <CopyButton value={url} timeout={2500}>
        {({ copied, copy }) => (
          <Button
            size="lg"
            color={copied ? 'teal' : 'sea'}
            leftSection={copied ? <CheckIcon size={20} /> : undefined}
            onClick={copy}
            data-testid={`${testId}-copy`}
          >
            {copied ? copiedLabel : copyLabel}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
