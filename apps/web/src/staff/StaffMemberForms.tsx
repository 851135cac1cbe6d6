import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Email, Profession, StaffRole, type Institution, type StaffCreated, type StaffMember, type UpdateStaffBody } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from './api.ts';
import { errorText } from './format.ts';
import classes from './staff.module.css';

// The create and edit forms of a staff member (one set of fields and checks for both).

/** Roles an admin gives in an institution (department admins come from the start command). */
const INSTITUTION_ROLES = StaffRole.exclude(['admin']).options;
type InstitutionRole = (typeof INSTITUTION_ROLES)[number];

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
            : Email.safeParse(v.trim()).success
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
            data={Profession.options.map((p) => ({ value: p, label: t(`staff.professions.${p}`) }))}
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

export function CreateStaffForm({
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
    const { role, profession } = v;
    if (role === '') return; // the form's check asks for one first
    setBusy(true);
    setError(null);
    try {
      const body = {
        email: v.email.trim(),
        displayName: v.displayName.trim(),
        role,
        ...(role === 'specialist' && profession !== '' ? { specialist: { profession, title: v.title.trim() } } : {}),
      };
      onCreated(await api.call('staff.create', { institutionId: institution.id }, body));
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

export function EditStaffForm({
  member,
  onCancel,
  onSaved,
}: {
  member: StaffMember;
  onCancel: () => void;
  onSaved: (m: StaffMember) => void;
}) {
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
      onSaved(await api.call('staff.update', { staffId: member.id }, body));
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
