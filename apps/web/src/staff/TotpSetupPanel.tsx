import { Alert, Button, Code, Group, Image, List, Stack, Text } from '@mantine/core';
import type { SessionInfo, TotpSetup } from '@dp/protocol';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from './api.ts';
import { CodeField } from './CodeField.tsx';
import { errorText } from './format.ts';
import { useSession } from './session.tsx';
import classes from './staff.module.css';

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * Second factor set-up: a new secret as a QR code and as text, then a code from the app
 * to confirm it (only then does it become the account's second factor).
 */
export function TotpSetupPanel({ autoStart = false, onEnabled }: { autoStart?: boolean; onEnabled: (info: SessionInfo) => void }) {
  const { t } = useTranslation();
  const { update } = useSession();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);

  const start = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      setSetup(await api.call('account.totp_setup', {}, {}));
      setCode('');
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }, [t]);

  useEffect(() => {
    // Once per mount (StrictMode runs effects twice; each call would issue a new secret).
    if (autoStart && !started.current) {
      started.current = true;
      void start();
    }
  }, [autoStart, start]);

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setCodeError(t('staff.validation.code'));
      return;
    }
    setBusy(true);
    setCodeError(null);
    try {
      const info = await api.call('account.totp_enable', {}, { code });
      update(info);
      onEnabled(info);
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'invalid_credentials' || err.code === 'bad_request')) {
        setCodeError(t('staff.totp.badCode'));
        setCode('');
      } else setCodeError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  if (!setup) {
    return (
      <Stack gap="md">
        {error && (
          <Alert color="red" variant="light" role="alert">
            <Text>{error}</Text>
          </Alert>
        )}
        <Button size="lg" loading={busy} onClick={() => void start()} className={classes.mainAction} data-testid="totp-start">
          {error ? t('staff.retry') : t('staff.totp.start')}
        </Button>
      </Stack>
    );
  }

  return (
    <form onSubmit={(e) => void confirm(e)} noValidate data-testid="totp-setup">
      <Stack gap="lg">
        <List type="ordered" spacing="sm" size="md" className={classes.steps}>
          <List.Item>{t('staff.totp.step1')}</List.Item>
          <List.Item>{t('staff.totp.step2')}</List.Item>
          <List.Item>{t('staff.totp.step3')}</List.Item>
        </List>
        <Group align="flex-start" gap="xl" wrap="wrap">
          <Image
            src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.qrSvg)}`}
            alt={t('staff.totp.qrAlt')}
            w={240}
            h={240}
            fit="contain"
            className={classes.qr}
            data-testid="totp-qr"
          />
          <Stack gap="lg" style={{ flex: '1 1 17rem', minWidth: 0 }}>
            <Stack gap={4}>
              <Text c="gray.7">{t('staff.totp.secretLabel')}</Text>
              <Code block className={classes.secret} data-testid="totp-secret">
                {grouped(setup.secret)}
              </Code>
            </Stack>
            <CodeField
              id="totp-code"
              label={t('staff.totp.codeLabel')}
              value={code}
              error={codeError}
              onChange={(v) => {
                setCode(v);
                setCodeError(null);
              }}
              testId="totp-code"
            />
            <Button type="submit" size="lg" loading={busy} data-testid="totp-enable" className={classes.mainAction}>
              {t('staff.totp.enable')}
            </Button>
          </Stack>
        </Group>
      </Stack>
    </form>
  );
}
