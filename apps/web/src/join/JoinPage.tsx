import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppHeader } from '../ui/AppHeader.tsx';
import { Container } from '@mantine/core';
import { JoinRoom } from './JoinRoom.tsx';
import { LinkAbout } from './LinkAbout.tsx';
import { LinkSchedule } from './LinkSchedule.tsx';
import { lookUpLink, type LinkLookup } from './link-info.ts';
import classes from './JoinPage.module.css';

/**
 * `/join/:token` — one consultation link. First the server says when the consultation
 * is: before the room opens for this link the page counts down (and moves on by itself),
 * after the end or a cancellation it says so; then preview → room → end, on one page.
 * Rendered by main.tsx without the router (the link page's small entry), hence the props.
 */
export function JoinPage({ token, forceTcp }: { token: string; forceTcp: boolean }) {
  const [lookup, setLookup] = useState<LinkLookup | null>(null);
  const recheck = useCallback(() => void lookUpLink(token).then(setLookup), [token]);
  useEffect(recheck, [recheck]);
  const auth = useMemo(() => ({ token }), [token]);

  if (lookup?.kind === 'ok' && lookup.info.consultation.status === 'open') {
    const { institutionPhone, timeZone } = lookup.info.consultation;
    // Above the camera check: with whom and what about.
    const intro = (
      <Container size={620} px="sm" pt="lg" w="100%">
        <LinkAbout about={lookup.info.consultation} showMoved={false} />
      </Container>
    );
    return <JoinRoom auth={auth} forceTcp={forceTcp} institutionPhone={institutionPhone} timeZone={timeZone} intro={intro} />;
  }
  return (
    <div className={classes.page}>
      <AppHeader />
      {lookup && <LinkSchedule token={token} lookup={lookup} onRecheck={recheck} />}
    </div>
  );
}
