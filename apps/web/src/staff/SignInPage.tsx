import { Alert, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Email, TotpCode } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from './api.ts';
import { errorText, safeNext } from './format.ts';
import { PublicStaffPage } from './StaffPage.tsx';
import { PageLoader, useSession } from './session.tsx';

/**
 * `/sign-in`: e-mail, password and — for accounts with an authenticator app — its code, sent
 * together in one request. The server answers any wrong combination alike, so the page never
 * learns (nor shows) which part was wrong, nor whether an account has a second factor: the
 * code field is always there and may stay empty.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const { state, signIn } = useSession();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const next = safeNext(search.get('next'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const form = useForm({
    initialValues: { email: search.get('email') ?? '', password: '', code: '' },
    transformValues: (v) => ({ email: v.email.trim(), password: v.password, code: v.code.replace(/\s/g, '') }),
    validate: {
      email: (v) =>
        v.trim() === '' ? t('staff.validation.emailRequired') : Email.safeParse(v.trim()).success ? null : t('staff.validation.email'),
      password: (v) => (v === '' ? t('staff.validation.passwordRequired') : null),
      code: (v) => (v.replace(/\s/g, '') === '' || TotpCode.safeParse(v.replace(/\s/g, '')).success ? null : t('staff.validation.code')),
    },
  });

  if (state.status === 'loading') return <PageLoader />;
  // Already signed in (another tab, or the back button): straight on.
  if (state.status === 'signed-in' && !busy && !done) {
    return <Navigate to={state.info.stage === 'totp_setup_required' ? '/account/totp' : (next ?? '/staff')} replace />;
  }

  const submit = async (values: { email: string; password: string; code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const info = await signIn({ email: values.email, password: values.password, ...(values.code ? { totp: values.code } : {}) });
      setDone(true);
      navigate(info.stage === 'totp_setup_required' ? '/account/totp' : (next ?? '/staff'), { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'too_many_attempts') {
        const minutes = e.retryAfter ? Math.max(1, Math.ceil(e.retryAfter / 60)) : null;
        setError(minutes ? t('staff.signIn.locked', { count: minutes }) : t('staff.signIn.lockedLater'));
      } else if (e instanceof ApiError && (e.code === 'invalid_credentials' || e.code === 'bad_request')) {
        // A malformed e-mail answers 400: say the same as for a wrong one. A used code is no
        // good again, so the code field is emptied for a fresh one.
        setError(values.code ? t('staff.signIn.invalidWithCode') : t('staff.signIn.invalid'));
        form.setFieldValue('code', '');
      } else {
        setError(errorText(t, e));
      }
    } finally {
      setBusy(false);
    }
  };

  const expired = search.get('expired') === '1' || (state.status === 'signed-out' && state.reason === 'expired');

  return (
    <PublicStaffPage>
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} shadow="xs">
        <Stack gap="lg">
          <Title order={1}>{t('staff.signIn.title')}</Title>
          {search.get('set') === '1' && !error && (
            <Alert color="teal" variant="light" data-testid="signin-password-set">
              <Text>{t('staff.signIn.passwordSet')}</Text>
            </Alert>
          )}
          {expired && !error && (
            <Alert color="yellow" variant="light" data-testid="signin-expired">
              <Text>{t('staff.signIn.expired')}</Text>
            </Alert>
          )}
          {error && (
            <Alert color="red" variant="light" role="alert" data-testid="signin-error">
              <Text>{error}</Text>
            </Alert>
          )}
          <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
            <Stack gap="md">
              <TextInput
                label={t('staff.fields.email')}
                type="email"
                autoComplete="username"
                inputMode="email"
                size="lg"
                autoFocus={!form.values.email}
                data-testid="signin-email"
                {...form.getInputProps('email')}
              />
              <PasswordInput
                label={t('staff.fields.password')}
                autoComplete="current-password"
                size="lg"
                autoFocus={!!form.values.email}
                data-testid="signin-password"
                {...form.getInputProps('password')}
              />
              <TextInput
                label={t('staff.signIn.codeLabel')}
                description={t('staff.signIn.codeHint')}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={7}
                size="lg"
                styles={{ input: { maxWidth: '10rem', letterSpacing: '0.15em' } }}
                data-testid="signin-code"
                {...form.getInputProps('code')}
              />
              <Button type="submit" size="lg" loading={busy} fullWidth data-testid="signin-submit">
                {t('staff.signIn.submit')}
              </Button>
            </Stack>
          </form>
          <Text c="gray.7" data-testid="signin-hint">
            {t('staff.signIn.hint')}
          </Text>
        </Stack>
      </Paper>
    </PublicStaffPage>
  );
}
