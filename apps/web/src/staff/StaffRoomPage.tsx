import { Button, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isLead, type Consultation, type StaffRole } from '@dp/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { JoinRoom } from '../join/JoinRoom.tsx';
import { contentFor, EndScreen, type EndContent } from '../room/EndScreen.tsx';
import type { RoomState } from '../room/room-state.ts';
import { AppHeader } from '../ui/AppHeader.tsx';
import { api, ApiError } from './api.ts';
import { clientName, isClientRole } from './ClientLinkModal.tsx';
import { StaffPage } from './StaffPage.tsx';
import { useSession } from './session.tsx';
import classes from './staff.module.css';

/** Staff who may take part in a consultation's room (an admin watches room health only). */
const ROOM_ROLES: readonly StaffRole[] = ['head', 'specialist', 'social_worker'];

/**
 * `/staff/room/:consultationId` — a member of staff's way into a consultation's room: the
 * session cookie and the consultation's id, never a link (links are the clients'). The
 * same preview, device check and room screens as the client's link page; leaving, or the
 * consultation ending («Завершить консультацию»), goes back to the consultations.
 */
export function StaffRoomPage() {
  const { session } = useSession();
  const allowed = session?.stage === 'active' && ROOM_ROLES.includes(session.user.role);
  // Signed out, second factor to set up, or a role without rooms: the staff guard says what to do.
  if (!allowed) return <StaffPage roles={ROOM_ROLES}>{null}</StaffPage>;
  return <StaffRoom userId={session.user.id} />;
}

type Summary =
  | { kind: 'loading' }
  | { kind: 'ok'; consultation: Consultation; timeZone: string | undefined }
  | { kind: 'missing' }
  | { kind: 'unknown' };

function StaffRoom({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const { consultationId = '' } = useParams();
  const [search] = useSearchParams();
  const forceTcp = search.get('tcp') === '1';
  const navigate = useNavigate();
  const auth = useMemo(() => ({ consultationId }), [consultationId]);
  const [summary, setSummary] = useState<Summary>({ kind: 'loading' });

  useEffect(() => {
    let cancelled = false;
    api.call('consultations.get', { consultationId }).then(
      async (consultation) => {
        // Times are the institution's, as on «Мои консультации» (a specialist may work from another zone).
        const institutions = await api.call('institutions.list', {}).catch(() => null);
        const timeZone = institutions?.institutions.find((i) => i.id === consultation.institutionId)?.calendar.timeZone;
        if (!cancelled) setSummary({ kind: 'ok', consultation, timeZone });
      },
      (e: unknown) => {
        if (cancelled) return;
        // Not found, not allowed, or not a uuid at all: no camera for a room one cannot enter.
        const missing = e instanceof ApiError && (e.status === 400 || e.status === 403 || e.status === 404);
        setSummary(missing ? { kind: 'missing' } : { kind: 'unknown' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [consultationId]);

  const onLeft = useCallback(() => {
    notifications.show({ color: 'teal', message: t('staff.room.leftNotice'), autoClose: 8000 });
    void navigate('/staff');
  }, [navigate, t]);

  // Ended (by this member of staff or another): back to «Мои консультации», which now shows it ended.
  const onEnded = useCallback(() => {
    notifications.show({ color: 'teal', message: t('staff.room.endedNotice'), autoClose: 8000 });
    void navigate('/staff');
  }, [navigate, t]);

  const takesPart = summary.kind !== 'ok' || summary.consultation.participants.some((p) => p.staffUserId === userId && isLead(p.role));
  if (summary.kind === 'missing' || !takesPart) return <NotInRoom />;

  const next = `/staff/room/${encodeURIComponent(consultationId)}`;
  return (
    <JoinRoom
      auth={auth}
      forceTcp={forceTcp}
      institutionPhone={null}
      timeZone={summary.kind === 'ok' ? summary.timeZone : undefined}
      // In the room the title is no link: one slip of the finger would drop the conversation.
      header={(inRoom) => <AppHeader {...(inRoom ? {} : { homeHref: '/staff' })} />}
      intro={
        <Intro
          consultation={summary.kind === 'ok' ? summary.consultation : null}
          timeZone={summary.kind === 'ok' ? summary.timeZone : undefined}
        />
      }
      onLeft={onLeft}
      end={(state, rejoin) =>
        state.phase === 'closed' && state.closedReason === 'ended' ? (
          <GoBack onGo={onEnded} />
        ) : (
          <EndScreen state={state} onRejoin={rejoin} content={staffEndContent(state)}>
            {state.phase === 'failed' && state.error === 'unauthenticated' && (
              <Button component={Link} to={`/sign-in?next=${encodeURIComponent(next)}`} size="xl" fullWidth data-testid="room-sign-in">
                {t('staff.room.signIn')}
              </Button>
            )}
            <Button component={Link} to="/staff" size="lg" variant="default" fullWidth data-testid="room-back">
              {t('staff.room.back')}
            </Button>
          </EndScreen>
        )
      }
    />
  );
}

/** Leaves the room page at once (once, even when React runs the effect twice in development). */
function GoBack({ onGo }: { onGo: () => void }) {
  const gone = useRef(false);
  useEffect(() => {
    if (gone.current) return;
    gone.current = true;
    onGo();
  }, [onGo]);
  return null;
}

/** What the end screen says to a member of staff where the client's wording would not fit. */
function staffEndContent(state: RoomState): EndContent {
  const base = contentFor(state);
  if (state.phase === 'closed') {
    switch (state.closedReason) {
      case 'removed':
        // Taken out: the session ended, the account was deactivated or its role changed.
        return { title: 'staff.room.removedTitle', text: 'staff.room.removedText', action: null };
      case 'technical_failure':
        return { ...base, text: 'staff.room.technicalFailureText' };
      case 'ended':
      case null:
        return { ...base, text: 'staff.room.endedText' };
      default:
        return base;
    }
  }
  if (state.phase === 'failed') {
    switch (state.error) {
      case 'unauthenticated':
        return { title: 'staff.room.signedOutTitle', text: 'staff.room.signedOutText', action: null };
      case 'not_found':
      case 'forbidden':
        return { title: 'staff.room.notInRoomTitle', text: 'staff.room.notInRoomText', action: null };
      case 'room_closed':
        return { ...base, text: 'staff.room.closedText' };
      default:
        return base;
    }
  }
  return base;
}

/** Above the preview: which consultation this is, and the way back. */
function Intro({ consultation, timeZone }: { consultation: Consultation | null; timeZone: string | undefined }) {
  const { t, i18n } = useTranslation();
  const when = useMemo(() => {
    if (!consultation) return null;
    const day = new Intl.DateTimeFormat(i18n.language, { weekday: 'short', day: 'numeric', month: 'long', timeZone });
    const time = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', timeZone });
    return `${day.format(new Date(consultation.start))}, ${time.format(new Date(consultation.start))}–${time.format(new Date(consultation.end))}`;
  }, [consultation, timeZone, i18n.language]);
  const clients = consultation?.participants.filter((p) => isClientRole(p.role)) ?? [];
  return (
    <Container size={620} px="sm" pt="md" w="100%">
      <Stack gap={6} data-testid="staff-room-intro">
        <Button component={Link} to="/staff" variant="subtle" size="md" className={classes.mainAction} px="xs" data-testid="room-back-top">
          ← {t('staff.room.back')}
        </Button>
        {consultation && (
          <Text size="lg" fw={600} px="xs">
            {t(`staff.kinds.${consultation.kind}`)} · {when}
          </Text>
        )}
        {/* Whom it is with: the right room at a glance (a webinar: how many have links). */}
        {consultation && clients.length > 0 && (
          <Text px="xs" data-testid="staff-room-clients">
            {consultation.kind === 'webinar'
              ? t('staff.room.audience', { count: clients.length })
              : t('staff.room.clients', { names: clients.map((p) => clientName(t, clients, p)).join(', ') })}
          </Text>
        )}
      </Stack>
    </Container>
  );
}

/** The consultation is not there, or this member of staff takes no part in it. */
function NotInRoom() {
  const { t } = useTranslation();
  return (
    <StaffPage size={620}>
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} data-testid="room-not-available">
        <Stack gap="md">
          <Title order={1}>{t('staff.room.notInRoomTitle')}</Title>
          <Text size="lg">{t('staff.room.notInRoomText')}</Text>
          <Button component={Link} to="/staff" size="lg" variant="light" className={classes.mainAction}>
            {t('staff.room.back')}
          </Button>
        </Stack>
      </Paper>
    </StaffPage>
  );
}
