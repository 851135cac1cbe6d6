import { Alert, Badge, Button, Group, Modal, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { grantOf, type SessionInfo, type SessionSummary } from '@dp/protocol';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { api, ApiError } from './api.ts';
import { errorText, formatDateTime } from './format.ts';
import { NewPasswordFields, newPasswordRule, repeatRule } from './NewPasswordFields.tsx';
import { StaffPage } from './StaffPage.tsx';
import { TotpSetupPanel } from './TotpSetupPanel.tsx';
import { useSession, useSignedIn } from './session.tsx';
import classes from './staff.module.css';

/** `/account` — «Мой профиль»: password, second factor, signed-in browsers. */
export function AccountPage() {
  return (
    <StaffPage size={760}>
      <Account />
    </StaffPage>
  );
}

/** `/account/totp` — the forced second-factor set-up (admins), or a shortcut to it. */
export function TotpPage() {
  return (
    <StaffPage size={820} totpSetup>
      <ForcedTotp />
    </StaffPage>
  );
}

function ForcedTotp() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [enabled, setEnabled] = useState(false);
  // Just enabled here: on to the start page (the session update and this flag land together).
  if (enabled) return <Navigate to="/staff" replace />;
  if (session.user.totpEnabled && session.stage === 'active') return <Navigate to="/account" replace />;
  const forced = session.stage === 'totp_setup_required';
  return (
    <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} shadow="xs">
      <Stack gap="lg">
        <Title order={1}>{t('staff.totp.forcedTitle')}</Title>
        <Text size="lg">{forced ? t('staff.totp.forcedText') : t('staff.totp.text')}</Text>
        <TotpSetupPanel
          autoStart
          onEnabled={() => {
            notifications.show({ color: 'teal', message: t('staff.totp.enabled') });
            setEnabled(true);
          }}
        />
      </Stack>
    </Paper>
  );
}

function Account() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const u = session.user;
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('staff.account.title')}</Title>
        <Text size="lg" fw={600} data-testid="account-name">
          {u.displayName}
        </Text>
        <Text c="gray.7" style={{ overflowWrap: 'anywhere' }}>
          {u.email} · {t(`staff.roles.${u.role}`)}
        </Text>
      </Stack>
      <TotpSection />
      <PasswordSection />
      <SessionsSection />
    </Stack>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder radius="lg" p={{ base: 'md', sm: 'xl' }} component="section" data-testid={testId}>
      <Stack gap="md">
        <Title order={2}>{title}</Title>
        {children}
      </Stack>
    </Paper>
  );
}

function TotpSection() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const { update } = useSession();
  const [settingUp, setSettingUp] = useState(false);
  const [disabling, setDisabling] = useState(false);
  const enabled = session.user.totpEnabled;
  // An admin's second factor is required: the matrix grants turning it off to the other roles only.
  const required = grantOf('account.totp_disable', session.user.role) === null;
  return (
    <Section title={t('staff.totp.title')} testId="account-totp">
      <Group gap="sm">
        <Badge size="lg" color={enabled ? 'teal' : 'gray'} variant="light" data-testid="totp-status">
          {enabled ? t('staff.totp.on') : t('staff.totp.off')}
        </Badge>
      </Group>
      <Text>{t('staff.totp.text')}</Text>
      {enabled ? (
        required ? (
          <Text c="gray.7">{t('staff.totp.adminRequired')}</Text>
        ) : (
          <Button variant="default" size="md" onClick={() => setDisabling(true)} className={classes.mainAction} data-testid="totp-disable">
            {t('staff.totp.disable')}
          </Button>
        )
      ) : settingUp ? (
        <TotpSetupPanel
          autoStart
          onEnabled={() => {
            setSettingUp(false);
            notifications.show({ color: 'teal', message: t('staff.totp.enabled') });
          }}
        />
      ) : (
        <Button size="md" onClick={() => setSettingUp(true)} className={classes.mainAction} data-testid="totp-setup-open">
          {t('staff.totp.setUp')}
        </Button>
      )}
      <DisableTotpModal opened={disabling} onClose={() => setDisabling(false)} onDone={(info) => (update(info), setDisabling(false))} />
    </Section>
  );
}

function DisableTotpModal({ opened, onClose, onDone }: { opened: boolean; onClose: () => void; onDone: (info: SessionInfo) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: (v) => (v === '' ? t('staff.validation.passwordRequired') : null) },
  });
  const submit = async ({ password }: { password: string }) => {
    setBusy(true);
    try {
      onDone(await api.call('account.totp_disable', {}, { password }));
      notifications.show({ color: 'teal', message: t('staff.totp.disabled') });
      form.reset();
    } catch (e) {
      // A wrong password answers 400 (and, repeated, 429 with the lock-out's own message).
      form.setFieldError('password', errorText(t, e, { bad_request: t('staff.account.wrongPassword') }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('staff.totp.disableTitle')} size="md" centered>
      <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
        <Stack gap="md">
          <Text>{t('staff.totp.disableText')}</Text>
          <PasswordInput label={t('staff.fields.password')} autoComplete="current-password" size="lg" {...form.getInputProps('password')} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" size="md" onClick={onClose}>
              {t('staff.cancel')}
            </Button>
            <Button type="submit" color="red" size="md" loading={busy} className={classes.wrap}>
              {t('staff.totp.disable')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function PasswordSection() {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', repeat: '' },
    validate: {
      currentPassword: (v) => (v === '' ? t('staff.validation.passwordRequired') : null),
      newPassword: newPasswordRule(t),
      repeat: repeatRule(t, 'newPassword'),
    },
  });
  const submit = async (v: typeof form.values) => {
    setBusy(true);
    try {
      const { signedOut } = await api.call(
        'account.change_password',
        {},
        { currentPassword: v.currentPassword, newPassword: v.newPassword },
      );
      form.reset();
      notifications.show({
        color: 'teal',
        message: signedOut > 0 ? t('staff.account.passwordChangedOthers', { count: signedOut }) : t('staff.account.passwordChanged'),
      });
      await refresh();
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'invalid_credentials' || e.code === 'forbidden')) {
        form.setFieldError('currentPassword', t('staff.account.wrongPassword'));
      } else {
        form.setFieldError('newPassword', errorText(t, e));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('staff.account.passwordTitle')} testId="account-password">
      <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
        <Stack gap="md">
          <PasswordInput
            label={t('staff.fields.currentPassword')}
            autoComplete="current-password"
            size="lg"
            data-testid="password-current"
            {...form.getInputProps('currentPassword')}
          />
          <NewPasswordFields password={form.getInputProps('newPassword')} repeat={form.getInputProps('repeat')} testIdPrefix="password" />
          <Text c="gray.7">{t('staff.account.passwordOthers')}</Text>
          <Button type="submit" size="md" loading={busy} className={classes.mainAction} data-testid="password-submit">
            {t('staff.account.changePassword')}
          </Button>
        </Stack>
      </form>
    </Section>
  );
}

function SessionsSection() {
  const { t, i18n } = useTranslation();
  const { signOutEverywhere } = useSession();
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ending, setEnding] = useState<string | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const [busyAll, setBusyAll] = useState(false);

  const load = useCallback(() => {
    api.call('account.sessions', {}).then(
      (l) => {
        setSessions([...l.sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt)));
        setError(null);
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [t]);
  useEffect(load, [load]);

  const end = async (id: string) => {
    setEnding(id);
    try {
      await api.call('account.end_session', { sessionId: id });
      notifications.show({ color: 'teal', message: t('staff.sessions.ended') });
      load();
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(t, e) });
    } finally {
      setEnding(null);
    }
  };

  const everywhere = async () => {
    setBusyAll(true);
    try {
      await signOutEverywhere();
    } catch (e) {
      setBusyAll(false);
      setConfirmAll(false);
      notifications.show({ color: 'red', message: errorText(t, e) });
    }
  };

  return (
    <Section title={t('staff.sessions.title')} testId="account-sessions">
      <Text>{t('staff.sessions.text')}</Text>
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
      <Stack gap="sm">
        {sessions?.map((s) => (
          <Paper key={s.id} withBorder radius="md" p="md" data-testid="session-row" data-current={s.current}>
            <Group justify="space-between" align="center" gap="sm">
              <Stack gap={2} style={{ minWidth: 0, flex: '1 1 16rem' }}>
                <Group gap="xs">
                  <Text fw={600}>{s.userAgent ?? t('staff.sessions.unknownBrowser')}</Text>
                  {s.current && (
                    <Badge color="teal" variant="light">
                      {t('staff.sessions.current')}
                    </Badge>
                  )}
                </Group>
                <Text c="gray.7" size="sm">
                  {t('staff.sessions.ip')}: {s.ip ?? '—'}
                </Text>
                <Text c="gray.7" size="sm">
                  {t('staff.sessions.lastSeen', { when: formatDateTime(s.lastSeenAt, i18n.language) })}
                </Text>
              </Stack>
              {!s.current && (
                <Button variant="default" size="md" loading={ending === s.id} onClick={() => void end(s.id)} data-testid="session-end">
                  {t('staff.sessions.end')}
                </Button>
              )}
            </Group>
          </Paper>
        ))}
      </Stack>
      <Button
        variant="light"
        color="red"
        size="md"
        onClick={() => setConfirmAll(true)}
        className={classes.mainAction}
        data-testid="sign-out-everywhere"
      >
        {t('staff.sessions.everywhere')}
      </Button>
      <Modal opened={confirmAll} onClose={() => setConfirmAll(false)} title={t('staff.sessions.everywhereTitle')} centered>
        <Stack gap="md">
          <Text>{t('staff.sessions.everywhereText')}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" size="md" onClick={() => setConfirmAll(false)}>
              {t('staff.cancel')}
            </Button>
            <Button
              color="red"
              size="md"
              loading={busyAll}
              onClick={() => void everywhere()}
              className={classes.wrap}
              data-testid="sign-out-everywhere-confirm"
            >
              {t('staff.sessions.everywhere')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Section>
  );
}
