import { defineConfig } from 'tsup';
import { writeDashboardApp } from './src/dashboard/build-app.js';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'storages/sqlite/index': 'src/storages/sqlite/index.ts',
    'storages/postgres/index': 'src/storages/postgres/index.ts',
    'testing/index': 'src/testing/index.ts',
    'ml/index': 'src/ml/index.ts',
    'tfjs/index': 'src/tfjs/index.ts',
    'hyperopt/index': 'src/hyperopt/index.ts',
    'importance/index': 'src/importance/index.ts',
    'visualization/index': 'src/visualization/index.ts',
    'report/index': 'src/report/index.ts',
    'cli/main': 'src/cli/main.ts',
    'dashboard/index': 'src/dashboard/server/index.ts',
  },
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  external: ['better-sqlite3', 'pg', 'vitest', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
  // The dashboard's browser app: its own bundle (IIFE for browsers) in dist/dashboard/.
  onSuccess: () => writeDashboardApp('dist/dashboard'),
});
