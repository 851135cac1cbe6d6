// Prisma CLI configuration: WASM engines and @prisma/adapter-pg, so that generate and migrate
// never download a native engine (README.md). Commands that need a database use DATABASE_URL.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { createAdapter } from './src/adapter.ts';

const here = import.meta.dirname;

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: path.join(here, 'prisma', 'schema.prisma'),
  migrations: { path: path.join(here, 'prisma', 'migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: this Prisma command needs a database');
    return createAdapter(url, { max: 2, applicationName: 'prisma-cli' });
  },
});
