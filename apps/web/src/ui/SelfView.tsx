import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraOffIcon } from './icons.tsx';
import classes from './SelfView.module.css';

/** The user's own camera, mirrored like a looking-glass (what people expect to see of themselves). */
export function SelfView({ stream, variant, offText }: { stream: MediaStream | null; variant: 'large' | 'corner'; offText?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && el.srcObject !== stream) el.srcObject = stream;
  }, [stream]);

  return (
    <div className={`${classes.box} ${classes[variant]}`}>
      {stream ? (
        <video
          ref={ref}
          data-testid="local-video"
          className={classes.video}
          autoPlay
          playsInline
          muted
          aria-label={t('prejoin.previewLabel')}
        />
      ) : (
        <div className={classes.off}>
          <CameraOffIcon size={variant === 'large' ? 40 : 22} />
          {/* In the small corner the button below already says the camera is off. */}
          {variant === 'large' && <span>{offText ?? t('prejoin.noCamera')}</span>}
        </div>
      )}
      {variant === 'corner' && <span className={classes.tag}>{t('room.you')}</span>}
    </div>
  );
}
