import { Button } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SoundIcon } from '../ui/icons.tsx';

/**
 * The other participant's voice. Autoplay normally works because the user clicked
 * «Войти»; if the browser still blocks it, a button lets them start the sound.
 */
export function RemoteAudio({ track, peerId }: { track: MediaStreamTrack; peerId?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLAudioElement>(null);
  const stream = useMemo(() => new MediaStream([track]), [track]);
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = stream;
    el.play().then(
      () => setBlocked(false),
      (e: unknown) => setBlocked(e instanceof DOMException && e.name === 'NotAllowedError'),
    );
  }, [stream]);

  return (
    <>
      <audio ref={ref} data-testid="remote-audio" data-peer-id={peerId} autoPlay />
      {blocked && (
        <Button
          size="lg"
          leftSection={<SoundIcon />}
          onClick={() =>
            void ref.current?.play().then(
              () => setBlocked(false),
              () => undefined,
            )
          }
        >
          {t('room.enableSound')}
        </Button>
      )}
    </>
  );
}
