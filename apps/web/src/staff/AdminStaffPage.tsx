import { Alert, Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  InstitutionList,
  PasswordLinkIssued,
  StaffCreated,
  StaffList,
  StaffMember,
  type Institution,
  type Profession,
  type StaffRole,
  type UpdateStaffBody,
} from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMediaQuery } from '@mantine/hooks';
import { api, ApiError } from './api.ts';
import { errorText } from './format.ts';
import { OneTimeLink } from './OneTimeLink.tsx';
import { StaffPage } from './StaffPage.tsx';
import classes from './staff.module.css';

/** Roles an admin gives in an institution (department admins come from the start command). */
const INSTITUTION_ROLES = ['head', 'specialist', 'social_worker'] as const satisfies readonly StaffRole[];
type InstitutionRole = (typeof INSTITUTION_ROLES)[number];
const PROFESSIONS = [
  'psychologist',
  'lawyer',
  'speech_therapist',
  'rehabilitation',
  'exercise_instructor',
  'other',
] as const satisfies readonly Profession[];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A status badge never cut to «Акти…»: the table scrolls sideways instead. */
const wholeBadge = { root: { overflow: 'visible' }, label: { overflow: 'visible' } } as const;

/** `/admin/staff` — the staff of one institution: accounts, roles, one-time password links. */
export function AdminStaffPage() {
  return (
    <StaffPage roles={['admin']} size={1200}>
      <StaffAdmin />
    </StaffPage>
  );
}

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; member: StaffMember }
  | { kind: 'deactivate'; member: StaffMember }
  | { kind: 'reset'; member: StaffMember }
  | { kind: 'link'; name: string; url: string; expiresAt: string };

function StaffAdmin() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const [institutions, setInstitutions] = useState<Institution[] | null>(null);
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const phone = useMediaQuery('(max-width: 36em)') ?? false;

  useEffect(() => {
    api.get('/institutions', { schema: InstitutionList }).then(
      (l) => setInstitutions([...l.institutions].sort((a, b) => a.name.localeCompare(b.name, 'ru'))),
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [t]);

  const wanted = search.get('institution');
  const institutionId = institutions?.some((i) => i.id === wanted) ? wanted : (institutions?.[0]?.id ?? null);

  const load = useCallback(() => {
    if (!institutionId) return;
    api.get(`/institutions/${institutionId}/staff`, { schema: StaffList }).then(
      (l) => {
        setStaff([...l.staff].sort((a, b) => Number(b.active) - Number(a.active) || a.displayName.localeCompare(b.displayName, 'ru')));
        setError(null);
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [institutionId, t]);
  useEffect(() => {
    setStaff(null);
    load();
  }, [load]);

  const setActive = async (member: StaffMember, active: boolean) => {
    setBusyId(member.id);
    try {
      await api.patch(`/staff/${member.id}`, { active } satisfies UpdateStaffBody, { schema: StaffMember });
      notifications.show({
        color: 'teal',
        message: active
          ? t('staff.admin.activated', { name: member.displayName })
          : t('staff.admin.deactivated', { name: member.displayName }),
      });
      setDialog(null);
      load();
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(t, e) });
    } finally {
      setBusyId(null);
    }
  };

  const resetPassword = async (member: StaffMember) => {
    setBusyId(member.id);
    try {
      const link = await api.post(`/staff/${member.id}/password-link`, {}, { schema: PasswordLinkIssued });
      setDialog({ kind: 'link', name: member.displayName, url: link.url, expiresAt: link.expiresAt });
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(t, e) });
      setDialog(null);
    } finally {
      setBusyId(null);
    }
  };

  const institution = institutions?.find((i) => i.id === institutionId);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="md">
        <Title order={1}>{t('staff.admin.title')}</Title>
        <Button
          size="lg"
          onClick={() => setDialog({ kind: 'create' })}
          disabled={!institutionId}
          className={classes.wrap}
          data-testid="staff-add"
        >
          {t('staff.admin.add')}
        </Button>
      </Group>
      {institutions && institutions.length === 0 && (
        <Alert color="sea" variant="light">
          <Text>{t('staff.admin.noInstitutions')}</Text>
        </Alert>
      )}
      {institutions && institutions.length > 0 && (
        <Select
          label={t('staff.fields.institution')}
          size="lg"
          maw={560}
          data={institutions.map((i) => ({ value: i.id, label: i.name }))}
          value={institutionId}
          onChange={(v) => v && setSearch({ institution: v }, { replace: true })}
          allowDeselect={false}
          searchable={institutions.length > 8}
          data-testid="staff-institution"
        />
      )}
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
      {staff && staff.length === 0 && <Text c="gray.7">{t('staff.admin.empty')}</Text>}
      {staff && staff.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="sm" highlightOnHover striped data-testid="staff-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('staff.fields.displayName')}</Table.Th>
                <Table.Th>{t('staff.fields.role')}</Table.Th>
                <Table.Th>{t('staff.fields.email')}</Table.Th>
                <Table.Th>{t('staff.admin.status')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('staff.admin.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staff.map((m) => (
                <Table.Tr key={m.id} data-testid="staff-row" data-id={m.id} data-email={m.email}>
                  <Table.Td>
                    <Text fw={600}>{m.displayName}</Text>
                    {m.specialist && (
                      <Text size="sm" c="gray.7">
                        {m.specialist.title} · {t(`staff.professions.${m.specialist.profession}`)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td data-testid="staff-role">{t(`staff.roles.${m.role}`)}</Table.Td>
                  <Table.Td className={classes.nowrap}>{m.email}</Table.Td>
                  <Table.Td>
                    <Badge color={m.active ? 'teal' : 'gray'} variant="light" size="lg" styles={wholeBadge} data-testid="staff-active">
                      {m.active ? t('staff.admin.active') : t('staff.admin.inactive')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {m.role !== 'admin' && (
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          size="sm"
                          h={44}
                          variant="default"
                          onClick={() => setDialog({ kind: 'edit', member: m })}
                          data-testid="staff-edit"
                        >
                          {t('staff.admin.edit')}
                        </Button>
                        <Button
                          size="sm"
                          h={44}
                          variant="default"
                          disabled={!m.active}
                          onClick={() => setDialog({ kind: 'reset', member: m })}
                          data-testid="staff-reset"
                        >
                          {t('staff.admin.reset')}
                        </Button>
                        {m.active ? (
                          <Button
                            size="sm"
                            h={44}
                            variant="light"
                            color="red"
                            onClick={() => setDialog({ kind: 'deactivate', member: m })}
                            data-testid="staff-deactivate"
                          >
                            {t('staff.admin.deactivate')}
                          </Button>
                        ) : (
                          <Button
                            size="sm"
                            h={44}
                            variant="light"
                            loading={busyId === m.id}
                            onClick={() => void setActive(m, true)}
                            data-testid="staff-activate"
                          >
                            {t('staff.admin.activate')}
                          </Button>
                        )}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Modal
        opened={dialog !== null}
        onClose={() => setDialog(null)}
        // The one-time link is shown once: a stray click outside must not lose it.
        closeOnClickOutside={dialog?.kind !== 'link'}
        size="lg"
        centered
        fullScreen={phone}
        title={
          dialog &&
          {
            create: t('staff.admin.createTitle'),
            edit: t('staff.admin.editTitle'),
            deactivate: t('staff.admin.deactivateTitle'),
            reset: t('staff.admin.resetTitle'),
            link: t('staff.link.title'),
          }[dialog.kind]
        }
        data-testid="staff-dialog"
      >
        {dialog?.kind === 'create' && institution && (
          <CreateStaffForm
            institution={institution}
            onCancel={() => setDialog(null)}
            onCreated={(created) => {
              setDialog({
                kind: 'link',
                name: created.displayName,
                url: created.passwordLink.url,
                expiresAt: created.passwordLink.expiresAt,
              });
              load();
            }}
          />
        )}
        {dialog?.kind === 'edit' && (
          <EditStaffForm
            member={dialog.member}
            onCancel={() => setDialog(null)}
            onSaved={(m) => {
              notifications.show({ color: 'teal', message: t('staff.admin.saved', { name: m.displayName }) });
              setDialog(null);
              load();
            }}
          />
        )}
        {dialog?.kind === 'deactivate' && (
          <Confirm
            text={t('staff.admin.deactivateText', { name: dialog.member.displayName })}
            action={t('staff.admin.deactivate')}
            danger
            busy={busyId === dialog.member.id}
            onCancel={() => setDialog(null)}
            onConfirm={() => void setActive(dialog.member, false)}
          />
        )}
        {dialog?.kind === 'reset' && (
          <Confirm
            text={t('staff.admin.resetText', { name: dialog.member.displayName })}
            action={t('staff.admin.resetAction')}
            busy={busyId === dialog.member.id}
            onCancel={() => setDialog(null)}
            onConfirm={() => void resetPassword(dialog.member)}
          />
        )}
        {dialog?.kind === 'link' && (
          <OneTimeLink name={dialog.name} url={dialog.url} expiresAt={dialog.expiresAt} onDone={() => setDialog(null)} />
        )}
      </Modal>
    </Stack>
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

interface MemberValues {
  email: string;
  displayName: string;
  role: InstitutionRole | '';
  profession: Profession | '';
  title: string;
}

function useMemberForm(initial: MemberValues, withEmail: boolean) {
  const { t } = useTranslation();
  return useForm<MemberValues>({
    initialValues: initial,
    validate: {
      email: (v) =>
        !withEmail
          ? null
          : v.trim() === ''
            ? t('staff.validation.emailRequired')
            : EMAIL.test(v.trim())
              ? null
              : t('staff.validation.email'),
      displayName: (v) =>
        v.trim() === '' ? t('staff.validation.nameRequired') : v.trim().length > 200 ? t('staff.validation.tooLong', { count: 200 }) : null,
      role: (v) => (v === '' ? t('staff.validation.roleRequired') : null),
      profession: (v, values) => (values.role === 'specialist' && v === '' ? t('staff.validation.professionRequired') : null),
      title: (v, values) =>
        values.role !== 'specialist'
          ? null
          : v.trim() === ''
            ? t('staff.validation.titleRequired')
            : v.trim().length > 200
              ? t('staff.validation.tooLong', { count: 200 })
              : null,
    },
  });
}

function MemberFields({ form, withEmail }: { form: ReturnType<typeof useMemberForm>; withEmail: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {withEmail && (
        <TextInput
          label={t('staff.fields.email')}
          type="email"
          inputMode="email"
          autoComplete="off"
          size="lg"
          data-autofocus
          data-testid="create-email"
          {...form.getInputProps('email')}
        />
      )}
      <TextInput
        label={t('staff.fields.displayName')}
        description={t('staff.admin.nameHint')}
        autoComplete="off"
        size="lg"
        data-testid="create-name"
        {...form.getInputProps('displayName')}
      />
      <Select
        label={t('staff.fields.role')}
        size="lg"
        data={INSTITUTION_ROLES.map((r) => ({ value: r, label: t(`staff.roles.${r}`) }))}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
        data-testid="create-role"
        {...form.getInputProps('role')}
      />
      {form.values.role === 'specialist' && (
        <>
          <Select
            label={t('staff.fields.profession')}
            size="lg"
            data={PROFESSIONS.map((p) => ({ value: p, label: t(`staff.professions.${p}`) }))}
            allowDeselect={false}
            data-testid="create-profession"
            {...form.getInputProps('profession')}
          />
          <TextInput
            label={t('staff.fields.jobTitle')}
            placeholder={t('staff.admin.titlePlaceholder')}
            autoComplete="off"
            size="lg"
            data-testid="create-title"
            {...form.getInputProps('title')}
          />
        </>
      )}
    </>
  );
}

function CreateStaffForm({
  institution,
  onCancel,
  onCreated,
}: {
  institution: Institution;
  onCancel: () => void;
  onCreated: (s: StaffCreated) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useMemberForm({ email: '', displayName: '', role: '', profession: '', title: '' }, true);
  const submit = async (v: MemberValues) => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        email: v.email.trim(),
        displayName: v.displayName.trim(),
        role: v.role,
        ...(v.role === 'specialist' ? { specialist: { profession: v.profession, title: v.title.trim() } } : {}),
      };
      onCreated(await api.post(`/institutions/${institution.id}/staff`, body, { schema: StaffCreated }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'conflict') form.setFieldError('email', t('staff.admin.emailTaken'));
      else if (e instanceof ApiError && e.code === 'bad_request' && e.details && typeof e.details === 'object' && 'email' in e.details)
        form.setFieldError('email', t('staff.validation.email'));
      else setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate data-testid="create-form">
      <Stack gap="md">
        <Text c="gray.7">{t('staff.admin.createIn', { name: institution.name })}</Text>
        {error && (
          <Alert color="red" variant="light" role="alert">
            <Text>{error}</Text>
          </Alert>
        )}
        <MemberFields form={form} withEmail />
        <Text c="gray.7">{t('staff.admin.createNote')}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" size="lg" onClick={onCancel}>
            {t('staff.cancel')}
          </Button>
          <Button type="submit" size="lg" loading={busy} className={classes.wrap} data-testid="create-submit">
            {t('staff.admin.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EditStaffForm({ member, onCancel, onSaved }: { member: StaffMember; onCancel: () => void; onSaved: (m: StaffMember) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useMemberForm(
    {
      email: member.email,
      displayName: member.displayName,
      role: member.role === 'admin' ? '' : member.role,
      profession: member.specialist?.profession ?? '',
      title: member.specialist?.title ?? '',
    },
    false,
  );
  const submit = async (v: MemberValues) => {
    const body: UpdateStaffBody = {};
    if (v.displayName.trim() !== member.displayName) body.displayName = v.displayName.trim();
    if (v.role !== '' && v.role !== member.role) body.role = v.role;
    if (v.role === 'specialist' && v.profession !== '') {
      const title = v.title.trim();
      if (v.profession !== member.specialist?.profession || title !== member.specialist?.title)
        body.specialist = { profession: v.profession, title };
    }
    if (Object.keys(body).length === 0) return onCancel();
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.patch(`/staff/${member.id}`, body, { schema: StaffMember }));
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate data-testid="edit-form">
      <Stack gap="md">
        <Text c="gray.7" style={{ overflowWrap: 'anywhere' }}>
          {member.email}
        </Text>
        {error && (
          <Alert color="red" variant="light" role="alert">
            <Text>{error}</Text>
          </Alert>
        )}
        <MemberFields form={form} withEmail={false} />
        {member.role !== form.values.role && <Text c="gray.7">{t('staff.admin.roleChangeNote')}</Text>}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" size="lg" onClick={onCancel}>
            {t('staff.cancel')}
          </Button>
          <Button type="submit" size="lg" loading={busy} className={classes.wrap} data-testid="edit-submit">
            {t('staff.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
