import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraph, importsOf, sourceFiles } from '../import-cycles.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('import cycles', () => {
  it('finds none among the sources of apps/*/src and packages/*/src (tests left out)', () => {
    const files = sourceFiles(repoRoot);
    expect(files.length).toBeGreaterThan(100); // the scan saw the sources
    const cycles = importCycles(importGraph(files)).map((c) => c.map((f) => relative(repoRoot, f)).join(' → '));
    expect(cycles).toEqual([]);
  });

  it('sees every kind of import, and reports a cycle with its path', () => {
    expect(
      importsOf(
        'x.ts',
        `import a from './a.ts'; import type { B } from './b.ts'; export { c } from './c.ts'; export * from './d';
         const e = await import('./e.tsx'); type F = import('./f.ts').F; import 'node:fs';`,
      ),
    ).toEqual(['./a.ts', './b.ts', './c.ts', './d', './e.tsx', './f.ts', 'node:fs']);

    const root = mkdtempSync(join(tmpdir(), 'import-cycles-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      write('packages/p/src/a.ts', "import { b } from './b.ts';\nexport const a = b;\n");
      write('packages/p/src/b.ts', "import type { C } from './sub/c';\nexport const b = 1; export type B = C;\n");
      write('packages/p/src/sub/c.ts', "export type { A } from '../a.ts';\nexport type C = number;\n");
      write('packages/p/src/d.ts', "import { a } from './a.ts';\nexport const d = a;\n"); // into the cycle, not part of it
      write('packages/p/src/d.test.ts', "import { d } from './d.ts';\nimport './e.ts';\n"); // a test: left out
      write('packages/p/src/e.ts', "import './d.test.ts';\n");
      write('apps/w/src/self.tsx', "import { x } from './self';\nexport const x = 1;\n");
      const files = sourceFiles(root);
      expect(files.map((f) => relative(root, f))).toEqual([
        'apps/w/src/self.tsx',
        'packages/p/src/a.ts',
        'packages/p/src/b.ts',
        'packages/p/src/d.ts',
        'packages/p/src/e.ts',
        'packages/p/src/sub/c.ts',
      ]);
      const cycles = importCycles(importGraph(files)).map((c) => c.map((f) => relative(root, f)));
      expect(cycles).toEqual(
        expect.arrayContaining([
          ['apps/w/src/self.tsx', 'apps/w/src/self.tsx'],
          ['packages/p/src/a.ts', 'packages/p/src/b.ts', 'packages/p/src/sub/c.ts', 'packages/p/src/a.ts'],
        ]),
      );
      expect(cycles).toHaveLength(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
