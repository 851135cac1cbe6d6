// The entry of the dashboard-rendering benchmark (packages/e2e/src/bench/dashboard-render.ts):
// the admins' health dashboard as `/dev/health` shows it — HealthView fed with
// `syntheticSnapshot` — but in a production build (React's production bundle), which the
// product's own build leaves the dev route out of. HealthPreview exposes
// `window.__healthPreview` (step, remount) for the benchmark to time.
import '../src/app/zod-jitless.ts';
import '../src/app/mantine-styles.ts';
import '../src/app/global.css';
import { createRoot } from 'react-dom/client';
import { Providers } from '../src/app/Providers.tsx';
import { HealthPreview } from '../src/admin/HealthPreview.tsx';
import { loadAllTranslations } from '../src/i18n.ts';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from dashboard.html');
void loadAllTranslations().then(() =>
  createRoot(root).render(
    <Providers>
      <HealthPreview />
    </Providers>,
  ),
);
