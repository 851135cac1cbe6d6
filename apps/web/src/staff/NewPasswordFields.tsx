import { PasswordInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { PASSWORD_MAX, PASSWORD_MIN } from '@dp/protocol';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

/** The rule for a new password (the protocol's lengths), as a @mantine/form validator. */
export function newPasswordRule(t: TFunction) {
  return (v: string) =>
    v.length < PASSWORD_MIN
      ? t('staff.validation.passwordShort', { count: PASSWORD_MIN })
      : v.length > PASSWORD_MAX
        ? t('staff.validation.passwordLong', { count: PASSWORD_MAX })
        : null;
}

/** The repeat must equal the field `field` of the form's values. */
export function repeatRule<K extends string>(t: TFunction, field: K) {
  return (v: string, values: Record<K, string>) => (v !== values[field] ? t('staff.validation.passwordMismatch') : null);
}

/** «Новый пароль» with its rule, and «Повторите пароль» (set-password page and «Мой профиль»). */
export function NewPasswordFields(props: {
  password: GetInputPropsReturnType;
  repeat: GetInputPropsReturnType;
  /** data-testids `<prefix>-new` and `<prefix>-repeat`. */
  testIdPrefix: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      <PasswordInput
        label={t('staff.fields.newPassword')}
        description={t('staff.setPassword.rule', { count: PASSWORD_MIN })}
        autoComplete="new-password"
        size="lg"
        autoFocus={props.autoFocus ?? false}
        data-testid={`${props.testIdPrefix}-new`}
        {...props.password}
      />
      <PasswordInput
        label={t('staff.fields.repeatPassword')}
        autoComplete="new-password"
        size="lg"
        data-testid={`${props.testIdPrefix}-repeat`}
        {...props.repeat}
      />
    </>
  );
}
