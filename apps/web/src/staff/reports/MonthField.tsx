import { MonthPickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { fromPicker, pickerValue } from './report-format.ts';

/** The reporting month ('YYYY-MM') picker both report screens start with. */
export function MonthField({ month, onChange, testId }: { month: string; onChange: (month: string) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <MonthPickerInput
      size="md"
      label={t('reports.month')}
      value={pickerValue(month)}
      onChange={(v) => {
        const m = fromPicker(v);
        if (m) onChange(m);
      }}
      valueFormat="MMMM YYYY"
      w={220}
      data-testid={testId}
    />
  );
}
