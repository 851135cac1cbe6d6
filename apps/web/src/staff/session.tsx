import { Button, Center, Container, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { SessionInfo, SignInBody, StaffRole } from '@dp/protocol';
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router';
import { api, ApiError, onSessionProblem, setCsrfToken } from './api.ts';
import { noteServerNow } from '../app/server-time.ts';

// Who is signed in, for every staff screen: asked once on load (GET /auth/session), then
// kept in step by sign-in, sign-out and the API's session problems (an ended session or
// the forced second-factor set-up).

export type SessionState =
  | { status: 'loading' }
  /** `expired`: a session this browser had has ended (idle, ended elsewhere, deactivated). */
  | { status: 'signed-out'; reason: 'none' | 'expired' | 'signed-out' }
  | { status: 'signed-in'; info: SessionInfo };

interface SessionApi {
  state: SessionState;
  /** The signed-in session, or null. */
  session: SessionInfo | null;
  signIn(body: SignInBody): Promise<SessionInfo>;
  signOut(): Promise<void>;
  signOutEverywhere(): Promise<void>;
  /** After a call that answers with the new SessionInfo (second factor enabled or disabled). */
  update(info: SessionInfo): void;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

// Remembers that this browser was signed in, so that a 401 on the next visit can say
// "your session ended" instead of showing a bare sign-in form. Holds no secret.
const MARK = 'dp.staff.signedIn';
const mark = (on: boolean) => {
  try {
    if (on) localStorage.setItem(MARK, '1');
    else localStorage.removeItem(MARK);
  } catch {
    /* storage blocked: only the message differs */
  }
};
const marked = () => {
  try {
    return localStorage.getItem(MARK) === '1';
  } catch {
    return false;
  }
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const apply = useCallback((next: SessionState) => {
    setCsrfToken(next.status === 'signed-in' ? next.info.csrfToken : null);
    if (next.status === 'signed-in') mark(true);
    else if (next.status === 'signed-out') mark(false);
    setState(next);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const sentAt = Date.now();
      const info = await api.call('auth.session', {}, {}, { public: true });
      noteServerNow(info.serverNow, sentAt);
      apply({ status: 'signed-in', info });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) apply({ status: 'signed-out', reason: marked() ? 'expired' : 'none' });
      else {
        // No answer (offline, server restarting): keep what we have, ask again shortly.
        console.error('[session] could not read the session', e);
        setTimeout(() => void refresh(), 5000);
      }
    }
  }, [apply]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(
    () =>
      onSessionProblem((e) => {
        if (e.code === 'unauthenticated') apply({ status: 'signed-out', reason: 'expired' });
        else void refresh(); // totp_setup_required: the session's stage tells the guard where to go
      }),
    [apply, refresh],
  );

  const value = useMemo<SessionApi>(
    () => ({
      state,
      session: state.status === 'signed-in' ? state.info : null,
      async signIn(body) {
        const info = await api.call('auth.sign_in', {}, body);
        apply({ status: 'signed-in', info });
        return info;
      },
      async signOut() {
        await api.call('auth.sign_out', {}, {}, { public: true }).catch(() => undefined);
        apply({ status: 'signed-out', reason: 'signed-out' });
      },
      async signOutEverywhere() {
        await api.call('auth.sign_out_everywhere', {});
        apply({ status: 'signed-out', reason: 'signed-out' });
      },
      update(info) {
        apply({ status: 'signed-in', info });
      },
      refresh,
    }),
    [state, apply, refresh],
  );

  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionApi {
  const ctx = use(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in session inside a <RequireStaff> (throws elsewhere). */
export function useSignedIn(): SessionInfo {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn outside RequireStaff');
  return session;
}

export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center mih="60dvh" role="status" aria-label={t('staff.loading')}>
      <Loader size="lg" />
    </Center>
  );
}

/**
 * A staff screen's guard: signed out → the sign-in page (and back here after it); an
 * admin without a second factor → its set-up; a role that may not open it → a calm "no
 * access" panel. `totpSetup` marks the set-up page itself.
 */
export function RequireStaff({
  roles,
  totpSetup = false,
  children,
}: {
  roles?: readonly StaffRole[];
  totpSetup?: boolean;
  children: ReactNode;
}) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <PageLoader />;
  if (state.status === 'signed-out') {
    const params = new URLSearchParams();
    if (state.reason !== 'signed-out') params.set('next', location.pathname + location.search);
    if (state.reason === 'expired') params.set('expired', '1');
    const q = params.toString();
    return <Navigate to={q ? `/sign-in?${q}` : '/sign-in'} replace />;
  }
  if (state.info.stage === 'totp_setup_required' && !totpSetup) return <Navigate to="/account/totp" replace />;
  if (roles && !roles.includes(state.info.user.role)) return <NoAccess />;
  return children;
}

export function NoAccess() {
  const { t } = useTranslation();
  return (
    <Container size={640} px="md" py="xl" component="main">
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} data-testid="no-access">
        <Stack gap="md">
          <Title order={1}>{t('staff.noAccess.title')}</Title>
          <Text size="lg">{t('staff.noAccess.text')}</Text>
          <Button component={Link} to="/staff" size="lg" variant="light" style={{ alignSelf: 'flex-start' }}>
            {t('staff.noAccess.home')}
          </Button>
        </Stack>
      </Paper>
    </Container>
  );
}
