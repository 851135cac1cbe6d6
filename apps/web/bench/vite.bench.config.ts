import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vite';
import base from '../vite.config.ts';

// The web app's own configuration, with one entry: bench/dashboard.html (the health dashboard
// on synthetic data). Written to BENCH_OUT_DIR by packages/e2e/src/bench/dashboard-render.ts.
const outDir = process.env.BENCH_OUT_DIR;
if (!outDir) throw new Error('BENCH_OUT_DIR is not set: this build is made by packages/e2e/src/bench/dashboard-render.ts');

export default mergeConfig(base, {
  build: {
    outDir,
    emptyOutDir: true,
    rolldownOptions: { input: fileURLToPath(new URL('./dashboard.html', import.meta.url)) },
  },
});
