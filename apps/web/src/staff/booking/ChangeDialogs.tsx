import { Alert, Button, Group, Modal, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { ChangeReason, grantOf, mayCancel, mayMove, type Consultation } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalTitle } from '../../ui/ModalTitle.tsx';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { useSignedIn } from '../session.tsx';
import { staleVersion, timeWasTaken } from './booking-errors.ts';
import { SlotPicker } from './SlotPicker.tsx';
import classes from './booking.module.css';

/** The reason categories as a select's options ('' = none chosen). */
function reasonOptions(t: (k: string) => string, optional: boolean) {
  return [
    { value: '', label: optional ? t('booking.reasons.none') : t('booking.reasons.choose'), disabled: !optional },
    ...ChangeReason.options.map((r) => ({ value: r, label: t(`booking.reasons.${r}`) })),
  ];
}

/**
 * A new time for a consultation, chosen in the same slot picker as a booking. The head moves
 * it at once (consultations.reschedule; a failed one becomes planned again, the client is
 * e-mailed); a specialist or social worker proposes the move and the head approves it.
 */
export function MoveDialog({
  consultation,
  defaultReason,
  onClose,
  onDone,
}: {
  consultation: Consultation;
  defaultReason?: ChangeReason;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  // The head moves directly (DOMAIN.md: the head approves reschedules); the others propose.
  const direct = session.user.role === 'head' || session.user.role === 'admin';
  const [start, setStart] = useState<string | null>(null);
  const [reason, setReason] = useState<string>(defaultReason ?? '');
  const [note, setNote] = useState('');
  const [reloadKey, setReloadKey] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const specialistId = consultation.specialistIds[0];

  const confirm = async () => {
    if (!start) return;
    setBusy(true);
    setError(null);
    const reasonCategory = reason ? (reason as ChangeReason) : undefined;
    try {
      if (direct) {
        await api.call(
          'consultations.reschedule',
          { consultationId: consultation.id },
          { start, version: consultation.version, ...(reasonCategory ? { reasonCategory } : {}) },
        );
        onDone(t('booking.move.moved'));
      } else {
        await api.call(
          'consultations.propose_move',
          { consultationId: consultation.id },
          { start, ...(reasonCategory ? { reasonCategory } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
        );
        onDone(t('booking.move.proposed'));
      }
    } catch (e) {
      if (timeWasTaken(e)) {
        setError(t('booking.errors.taken'));
        setStart(null);
        setReloadKey((k) => k + 1);
      } else if (staleVersion(e)) setError(t('booking.errors.stale'));
      else setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      fullScreen={phone}
      closeButtonProps={{ 'aria-label': t('booking.close') }}
      title={<ModalTitle size="lg">{direct ? t('booking.move.title') : t('booking.move.proposeTitle')}</ModalTitle>}
    >
      <Stack gap="md">
        {!direct && <Text>{t('booking.move.proposeHint')}</Text>}
        {specialistId ? (
          <SlotPicker
            institutionId={consultation.institutionId}
            specialistId={specialistId}
            durationMinutes={consultation.durationMinutes}
            value={start}
            onChange={setStart}
            reloadKey={reloadKey}
          />
        ) : (
          <Text>{t('booking.move.noSpecialist')}</Text>
        )}
        <NativeSelect
          size="md"
          label={t('booking.reasons.label')}
          description={t('booking.reasons.hint')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data={reasonOptions(t, true)}
          data-testid="move-reason-category"
        />
        {!direct && (
          <Textarea
            size="md"
            label={t('booking.note')}
            description={t('booking.noteHint')}
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
        )}
        {error && (
          <Alert color="yellow" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button size="md" variant="default" onClick={onClose}>
            {t('booking.close')}
          </Button>
          <Button size="md" onClick={() => void confirm()} disabled={!start} loading={busy} data-testid="slot-confirm">
            {direct ? t('booking.move.confirm') : t('booking.move.proposeConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Cancelling: a category the client is told, and a note for staff only. */
export function CancelDialog({
  consultation,
  defaultReason,
  onClose,
  onDone,
}: {
  consultation: Consultation;
  defaultReason?: ChangeReason;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [reason, setReason] = useState<string>(defaultReason ?? '');
  const [note, setNote] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (!reason) {
      setFieldError(t('booking.errors.reasonRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.call(
        'consultations.cancel',
        { consultationId: consultation.id },
        { reasonCategory: reason as ChangeReason, version: consultation.version, ...(note.trim() ? { reason: note.trim() } : {}) },
      );
      onDone(t('booking.cancel.done'));
    } catch (e) {
      setError(staleVersion(e) ? t('booking.errors.stale') : errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      fullScreen={phone}
      closeButtonProps={{ 'aria-label': t('booking.close') }}
      title={<ModalTitle size="lg">{t('booking.cancel.title')}</ModalTitle>}
    >
      <Stack gap="md" className={classes.form}>
        <Text>{t('booking.cancel.text')}</Text>
        <NativeSelect
          size="md"
          required
          label={t('booking.reasons.label')}
          description={t('booking.reasons.hint')}
          value={reason}
          onChange={(e) => {
            setReason(e.currentTarget.value);
            setFieldError(null);
          }}
          data={reasonOptions(t, false)}
          error={fieldError}
          data-testid="cancel-reason-category"
        />
        <Textarea
          size="md"
          label={t('booking.note')}
          description={t('booking.noteHint')}
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.currentTarget.value)}
          data-testid="cancel-note"
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button size="md" variant="default" onClick={onClose}>
            {t('booking.cancel.keep')}
          </Button>
          <Button size="md" color="red" onClick={() => void confirm()} loading={busy} data-testid="cancel-confirm">
            {t('booking.cancel.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * «Перенести» (the head) or «Предложить перенос» (a specialist, a social worker) and
 * «Отменить» for one consultation, as the viewer's role and the consultation's state allow —
 * for the consultation page and the lists.
 */
export function ConsultationChanges({ consultation, onChanged }: { consultation: Consultation; onChanged: (text: string) => void }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const role = session.user.role;
  const [open, setOpen] = useState<'move' | 'cancel' | null>(null);
  const head = role === 'head' || role === 'admin';
  const mayPropose = grantOf('consultations.propose_move', role) !== null;
  const mayCancelIt = grantOf('consultations.cancel', role) !== null && mayCancel(consultation.state);
  const movable = mayMove(consultation.state) && (head || mayPropose);
  const done = (text: string) => {
    setOpen(null);
    onChanged(text);
  };
  if (!movable && !mayCancelIt) return null;
  return (
    <Group gap="xs" wrap="wrap">
      {movable && (
        <Button size="md" variant="light" onClick={() => setOpen('move')} data-testid={head ? 'move-open' : 'move-propose'}>
          {head ? t('booking.move.open') : t('booking.move.proposeOpen')}
        </Button>
      )}
      {mayCancelIt && (
        <Button size="md" variant="subtle" color="red" onClick={() => setOpen('cancel')} data-testid="cancel-open">
          {t('booking.cancel.open')}
        </Button>
      )}
      {open === 'move' && <MoveDialog consultation={consultation} onClose={() => setOpen(null)} onDone={done} />}
      {open === 'cancel' && <CancelDialog consultation={consultation} onClose={() => setOpen(null)} onDone={done} />}
    </Group>
  );
}
