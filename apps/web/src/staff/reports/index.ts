// The report screens: a chunk of their own (the trend chart brings recharts), like the admin
// dashboard, so the other staff screens stay light.
export { ReportsPage } from './ReportsPage.tsx';
export { ConsolidatedPage } from './ConsolidatedPage.tsx';
export { ReportSettingsPage } from './ReportSettingsPage.tsx';
