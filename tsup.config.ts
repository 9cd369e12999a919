import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'storages/sqlite/index': 'src/storages/sqlite/index.ts',
    'storages/postgres/index': 'src/storages/postgres/index.ts',
    'testing/index': 'src/testing/index.ts',
    'cli/main': 'src/cli/main.ts',
  },
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  external: ['better-sqlite3', 'pg', 'vitest'],
});
