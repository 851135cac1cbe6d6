import { Alert, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { PASSWORD_MIN, type PasswordLinkInfo as LinkInfo } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, ApiError } from './api.ts';
import { errorText, formatDateTime } from './format.ts';
import { NewPasswordFields, newPasswordRule, repeatRule } from './NewPasswordFields.tsx';
import { PublicStaffPage } from './StaffPage.tsx';
import { PageLoader } from './session.tsx';

type Lookup = { kind: 'loading' } | { kind: 'ok'; info: LinkInfo } | { kind: 'invalid' } | { kind: 'error'; message: string };

/** `/set-password/:token`: the one-time link an administrator handed over (new account or reset). */
export function SetPasswordPage() {
  const { t, i18n } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [lookup, setLookup] = useState<Lookup>({ kind: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    setLookup({ kind: 'loading' });
    api.call('auth.password_link', { token }).then(
      (info) => setLookup({ kind: 'ok', info }),
      (e: unknown) =>
        setLookup(
          e instanceof ApiError && (e.code === 'link_invalid' || e.status === 404 || e.status === 410 || e.code === 'bad_request')
            ? { kind: 'invalid' }
            : { kind: 'error', message: errorText(t, e) },
        ),
    );
  }, [token, t]);
  useEffect(load, [load]);

  const form = useForm({
    initialValues: { password: '', repeat: '' },
    validate: {
      password: newPasswordRule(t),
      repeat: repeatRule(t, 'password'),
    },
  });

  if (lookup.kind === 'loading') return <PageLoader />;

  if (lookup.kind !== 'ok') {
    return (
      <PublicStaffPage>
        <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} shadow="xs" data-testid="set-password-invalid">
          <Stack gap="md">
            <Title order={1}>{lookup.kind === 'invalid' ? t('staff.setPassword.invalidTitle') : t('staff.setPassword.errorTitle')}</Title>
            <Text size="lg">{lookup.kind === 'invalid' ? t('staff.setPassword.invalidText') : lookup.message}</Text>
            {lookup.kind === 'error' && (
              <Button size="lg" onClick={load} style={{ alignSelf: 'flex-start' }}>
                {t('staff.retry')}
              </Button>
            )}
          </Stack>
        </Paper>
      </PublicStaffPage>
    );
  }

  const { info } = lookup;
  const save = async (values: typeof form.values) => {
    setBusy(true);
    setError(null);
    try {
      const { email } = await api.call('auth.set_password', { token }, { password: values.password });
      navigate(`/sign-in?${new URLSearchParams({ email, set: '1' }).toString()}`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'link_invalid') setLookup({ kind: 'invalid' });
      else setError(errorText(t, e, { bad_request: t('staff.validation.passwordShort', { count: PASSWORD_MIN }) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicStaffPage>
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} shadow="xs" data-testid="set-password">
        <Stack gap="lg">
          <Title order={1}>{info.purpose === 'welcome' ? t('staff.setPassword.welcomeTitle') : t('staff.setPassword.resetTitle')}</Title>
          <Stack gap={4}>
            <Text c="gray.7">{t('staff.setPassword.account')}</Text>
            <Text size="xl" fw={600} data-testid="set-password-name">
              {info.displayName}
            </Text>
            <Text size="lg" data-testid="set-password-email" style={{ overflowWrap: 'anywhere' }}>
              {info.email}
            </Text>
          </Stack>
          <Text c="gray.7">{t('staff.setPassword.validUntil', { when: formatDateTime(info.expiresAt, i18n.language) })}</Text>
          {error && (
            <Alert color="red" variant="light" role="alert">
              <Text>{error}</Text>
            </Alert>
          )}
          <form onSubmit={form.onSubmit((v) => void save(v))} noValidate>
            {/* A hidden username lets password managers file the new password under the right account. */}
            <input type="email" name="username" autoComplete="username" value={info.email} readOnly hidden />
            <Stack gap="md">
              <NewPasswordFields
                password={form.getInputProps('password')}
                repeat={form.getInputProps('repeat')}
                testIdPrefix="set-password"
                autoFocus
              />
              {info.totpRequired && (
                <Alert color="sea" variant="light">
                  <Text>{t('staff.setPassword.totpNote')}</Text>
                </Alert>
              )}
              <Button type="submit" size="lg" loading={busy} fullWidth data-testid="set-password-submit">
                {t('staff.setPassword.submit')}
              </Button>
            </Stack>
          </form>
        </Stack>
      </Paper>
    </PublicStaffPage>
  );
}
