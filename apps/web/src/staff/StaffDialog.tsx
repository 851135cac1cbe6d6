import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Institution, StaffMember } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { OneTimeLink } from './OneTimeLink.tsx';
import { CreateStaffForm, EditStaffForm } from './StaffMemberForms.tsx';
import classes from './staff.module.css';

// The dialogs of `/admin/staff`: create, edit, deactivate, reset a password, and the
// one-time password link that creating or resetting gives.

export type StaffDialogState =
  | { kind: 'create' }
  | { kind: 'edit'; member: StaffMember }
  | { kind: 'deactivate'; member: StaffMember }
  | { kind: 'reset'; member: StaffMember }
  | { kind: 'link'; name: string; url: string; expiresAt: string };

export interface StaffDialogProps {
  dialog: StaffDialogState | null;
  /** The institution a new member joins (the create dialog needs it). */
  institution: Institution | undefined;
  /** The member whose change is under way. */
  busyId: string | null;
  fullScreen: boolean;
  onDialog(dialog: StaffDialogState | null): void;
  /** The list changed: load it again. */
  onChanged(): void;
  onSetActive(member: StaffMember, active: boolean): void;
  onReset(member: StaffMember): void;
}

export function StaffDialog({ dialog, institution, busyId, fullScreen, onDialog, onChanged, onSetActive, onReset }: StaffDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={dialog !== null}
      onClose={() => onDialog(null)}
      // The one-time link is shown once: a stray click outside must not lose it.
      closeOnClickOutside={dialog?.kind !== 'link'}
      size="lg"
      centered
      fullScreen={fullScreen}
      title={
        dialog &&
        {
          create: t('staff.admin.createTitle'),
          edit: t('staff.admin.editTitle'),
          deactivate: t('staff.admin.deactivateTitle'),
          reset: dialog.kind === 'reset' && !dialog.member.passwordSet ? t('staff.admin.sendLinkTitle') : t('staff.admin.resetTitle'),
          link: t('staff.link.title'),
        }[dialog.kind]
      }
      data-testid="staff-dialog"
    >
      {dialog?.kind === 'create' && institution && (
        <CreateStaffForm
          institution={institution}
          onCancel={() => onDialog(null)}
          onCreated={(created) => {
            onDialog({
              kind: 'link',
              name: created.displayName,
              url: created.passwordLink.url,
              expiresAt: created.passwordLink.expiresAt,
            });
            onChanged();
          }}
        />
      )}
      {dialog?.kind === 'edit' && (
        <EditStaffForm
          member={dialog.member}
          onCancel={() => onDialog(null)}
          onSaved={(m) => {
            notifications.show({ color: 'teal', message: t('staff.admin.saved', { name: m.displayName }) });
            onDialog(null);
            onChanged();
          }}
        />
      )}
      {dialog?.kind === 'deactivate' && (
        <Confirm
          text={t('staff.admin.deactivateText', { name: dialog.member.displayName })}
          action={t('staff.admin.deactivate')}
          danger
          busy={busyId === dialog.member.id}
          onCancel={() => onDialog(null)}
          onConfirm={() => onSetActive(dialog.member, false)}
        />
      )}
      {dialog?.kind === 'reset' && (
        <Confirm
          text={t(dialog.member.passwordSet ? 'staff.admin.resetText' : 'staff.admin.sendLinkText', { name: dialog.member.displayName })}
          action={t(dialog.member.passwordSet ? 'staff.admin.resetAction' : 'staff.admin.sendLinkAction')}
          busy={busyId === dialog.member.id}
          onCancel={() => onDialog(null)}
          onConfirm={() => onReset(dialog.member)}
        />
      )}
      {dialog?.kind === 'link' && (
        <OneTimeLink name={dialog.name} url={dialog.url} expiresAt={dialog.expiresAt} onDone={() => onDialog(null)} />
      )}
    </Modal>
  );
}

function Confirm(p: { text: string; action: string; danger?: boolean; busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Text size="lg">{p.text}</Text>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" size="md" onClick={p.onCancel}>
          {t('staff.cancel')}
        </Button>
        <Button
          color={p.danger ? 'red' : 'sea'}
          size="md"
          loading={p.busy}
          onClick={p.onConfirm}
          className={classes.wrap}
          data-testid="confirm"
        >
          {p.action}
        </Button>
      </Group>
    </Stack>
  );
}
