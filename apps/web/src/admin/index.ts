// The admin dashboard: its own lazily loaded chunk (charts and recharts included), so
// neither the client's invitation page nor the other staff screens carry it.
import './mantine-admin-styles.ts';

export { HealthPage, HEALTH_ROLES } from './HealthPage.tsx';
export { HealthView, type HealthViewProps } from './HealthView.tsx';
// The synthetic data for the dev route and tests stays out of this chunk: import ./synthetic.ts.
