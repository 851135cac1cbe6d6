import { useEffect, useMemo, useRef } from 'react';
import type { OnFrameMilestone } from './timings.ts';
import classes from './Stage.module.css';

interface Props {
  peerId: string;
  track: MediaStreamTrack;
  hidden: boolean;
  label: string;
  onFirstFrame: OnFrameMilestone;
  /** `screen`: a shared screen (never cropped, another test id). */
  source?: 'camera' | 'screen';
}

/**
 * The other participant's camera. The element stays mounted while their video is paused
 * (a placeholder covers it) so that resuming shows the picture without re-attaching.
 */
export function RemoteVideo({ peerId, track, hidden, label, onFirstFrame, source = 'camera' }: Props) {
  const ref = useRef<HTMLVideoElement>(null);
  const stream = useMemo(() => new MediaStream([track]), [track]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = stream;
    onFirstFrame('videoAttached');
    // The first *rendered* frame is what the join-time benchmark measures (and when its last
    // packet came in); `loadeddata` is the fallback for browsers without requestVideoFrameCallback.
    if ('requestVideoFrameCallback' in el) {
      const handle = el.requestVideoFrameCallback((_now, frame) => {
        if (frame.receiveTime !== undefined) onFirstFrame('firstFrameReceived', frame.receiveTime);
        onFirstFrame('firstFrame');
      });
      return () => el.cancelVideoFrameCallback(handle);
    }
    const onLoaded = () => onFirstFrame('firstFrame');
    (el as HTMLVideoElement).addEventListener('loadeddata', onLoaded, { once: true });
    return () => (el as HTMLVideoElement).removeEventListener('loadeddata', onLoaded);
  }, [stream, onFirstFrame]);

  return (
    <video
      ref={ref}
      data-testid={source === 'screen' ? 'remote-screen' : 'remote-video'}
      data-peer-id={peerId}
      className={source === 'screen' ? `${classes.remoteVideo} ${classes.screenVideo}` : classes.remoteVideo}
      style={hidden ? { visibility: 'hidden' } : undefined}
      autoPlay
      playsInline
      muted
      aria-label={label}
    />
  );
}
