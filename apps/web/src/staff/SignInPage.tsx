import { Alert, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from './api.ts';
import { CodeField } from './CodeField.tsx';
import { errorText, safeNext } from './format.ts';
import { PublicStaffPage } from './StaffPage.tsx';
import { PageLoader, useSession } from './session.tsx';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `/sign-in`: e-mail and password, then the authenticator code when the account has one. */
export function SignInPage() {
  const { t } = useTranslation();
  const { state, signIn } = useSession();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const next = safeNext(search.get('next'));
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const form = useForm({
    initialValues: { email: search.get('email') ?? '', password: '' },
    validate: {
      email: (v) => (v.trim() === '' ? t('staff.validation.emailRequired') : EMAIL.test(v.trim()) ? null : t('staff.validation.email')),
      password: (v) => (v === '' ? t('staff.validation.passwordRequired') : null),
    },
  });

  if (state.status === 'loading') return <PageLoader />;
  // Already signed in (another tab, or the back button): straight on.
  if (state.status === 'signed-in' && !busy && !done) {
    return <Navigate to={state.info.stage === 'totp_setup_required' ? '/account/totp' : (next ?? '/staff')} replace />;
  }

  const submit = async (values: typeof form.values, totp?: string) => {
    setBusy(true);
    setError(null);
    setCodeError(null);
    try {
      const info = await signIn({ email: values.email.trim(), password: values.password, ...(totp ? { totp } : {}) });
      setDone(true);
      navigate(info.stage === 'totp_setup_required' ? '/account/totp' : (next ?? '/staff'), { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'totp_required') {
        setStep('code');
        setCode('');
      } else if (e instanceof ApiError && e.code === 'too_many_attempts') {
        const minutes = e.retryAfter ? Math.max(1, Math.ceil(e.retryAfter / 60)) : null;
        setError(minutes ? t('staff.signIn.locked', { count: minutes }) : t('staff.signIn.lockedLater'));
      } else if (e instanceof ApiError && (e.code === 'invalid_credentials' || e.code === 'bad_request')) {
        // A malformed e-mail answers 400: say the same as for a wrong one.
        if (totp) {
          setCodeError(t('staff.signIn.badCode'));
          setCode('');
        } else setError(t('staff.signIn.invalid'));
      } else {
        setError(errorText(t, e));
      }
    } finally {
      setBusy(false);
    }
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setCodeError(t('staff.validation.code'));
      return;
    }
    void submit(form.values, code);
  };

  const expired = search.get('expired') === '1' || (state.status === 'signed-out' && state.reason === 'expired');

  return (
    <PublicStaffPage>
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} shadow="xs">
        <Stack gap="lg">
          <Title order={1}>{t('staff.signIn.title')}</Title>
          {search.get('set') === '1' && step === 'password' && (
            <Alert color="teal" variant="light" data-testid="signin-password-set">
              <Text>{t('staff.signIn.passwordSet')}</Text>
            </Alert>
          )}
          {expired && step === 'password' && !error && (
            <Alert color="yellow" variant="light" data-testid="signin-expired">
              <Text>{t('staff.signIn.expired')}</Text>
            </Alert>
          )}
          {error && (
            <Alert color="red" variant="light" role="alert" data-testid="signin-error">
              <Text>{error}</Text>
            </Alert>
          )}
          {step === 'password' ? (
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
                <Button type="submit" size="lg" loading={busy} fullWidth data-testid="signin-submit">
                  {t('staff.signIn.submit')}
                </Button>
              </Stack>
            </form>
          ) : (
            <form onSubmit={submitCode} noValidate>
              <Stack gap="md">
                <Text size="lg">{t('staff.signIn.codeText')}</Text>
                <CodeField
                  id="signin-code"
                  label={t('staff.fields.code')}
                  value={code}
                  error={codeError}
                  onChange={(v) => {
                    setCode(v);
                    setCodeError(null);
                  }}
                  testId="signin-code"
                  autoFocus
                />
                <Button type="submit" size="lg" loading={busy} fullWidth data-testid="signin-code-submit">
                  {t('staff.signIn.submit')}
                </Button>
                <Button
                  variant="subtle"
                  size="md"
                  onClick={() => {
                    setStep('password');
                    setCodeError(null);
                    form.setFieldValue('password', '');
                  }}
                >
                  {t('staff.signIn.back')}
                </Button>
              </Stack>
            </form>
          )}
          <Text c="gray.7" data-testid="signin-hint">
            {t('staff.signIn.hint')}
          </Text>
        </Stack>
      </Paper>
    </PublicStaffPage>
  );
}
