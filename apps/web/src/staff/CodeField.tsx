import { PinInput, Stack, Text } from '@mantine/core';

/** The six digits from the authenticator app, with its label and error (sign-in and TOTP set-up). */
export function CodeField(props: {
  id: string;
  label: string;
  value: string;
  error: string | null;
  onChange: (value: string) => void;
  /** data-testid of the input; the error gets `<testId>-error`. */
  testId: string;
  autoFocus?: boolean;
}) {
  return (
    <Stack gap={6}>
      <Text component="label" htmlFor={props.id} fw={600}>
        {props.label}
      </Text>
      <PinInput
        id={props.id}
        length={6}
        type="number"
        inputMode="numeric"
        oneTimeCode
        autoFocus={props.autoFocus ?? false}
        size="lg"
        gap={6}
        value={props.value}
        onChange={props.onChange}
        error={!!props.error}
        ariaLabel={props.label}
        data-testid={props.testId}
      />
      {props.error && (
        <Text c="red.8" role="alert" data-testid={`${props.testId}-error`}>
          {props.error}
        </Text>
      )}
    </Stack>
  );
}
