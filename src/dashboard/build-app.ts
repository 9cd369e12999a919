/**
 * Bundles the browser app (`src/dashboard/app/main.ts` and its styles) with esbuild: at build
 * time into `dist/dashboard/` (tsup's `onSuccess`), and on the fly when the server runs from
 * source (tests, `tsx`). esbuild is a build-time tool, loaded only here and only when asked, so
 * the published package never needs it.
 * @module
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingDependencyError } from '../core/errors.js';

/** The bundled app. */
export interface AppBundle {
  readonly js: string;
  readonly css: string;
}

interface EsbuildOutput {
  readonly path: string;
  readonly text: string;
}
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: EsbuildOutput[] }>;
}

/**
 * The app's entry point: beside this module when it runs from source, else found above it as
 * `src/dashboard/app/main.ts` (this module bundled into the build config or a test's build).
 */
export function appEntry(): string {
  const beside = fileURLToPath(new URL('./app/main.ts', import.meta.url));
  if (existsSync(beside)) return beside;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'src', 'dashboard', 'app', 'main.ts');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new MissingDependencyError(
    'the dashboard app is neither prebuilt (dist/dashboard/app.js) nor available as source; run `npm run build`.',
  );
}

/** Bundles the app in memory (minified unless `minify` is false). */
export async function bundleDashboardApp(minify = true): Promise<AppBundle> {
  const name = 'esbuild';
  let esbuild: Esbuild;
  try {
    esbuild = (await import(name)) as Esbuild;
  } catch (e) {
    throw new MissingDependencyError(
      'bundling the dashboard app needs esbuild (a development dependency, through tsup); run `npm run build` to use the prebuilt app.',
      { cause: e },
    );
  }
  const result = await esbuild.build({
    entryPoints: [appEntry()],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify,
    sourcemap: false,
    outdir: 'out',
    entryNames: 'app',
    logLevel: 'silent',
  });
  let js = '';
  let css = '';
  for (const f of result.outputFiles) {
    if (f.path.endsWith('.js')) js = f.text;
    else if (f.path.endsWith('.css')) css = f.text;
  }
  return { js, css };
}

/** Writes `app.js` and `app.css` into `outDir` (the package build uses `dist/dashboard`). */
export async function writeDashboardApp(outDir: string): Promise<void> {
  const bundle = await bundleDashboardApp(true);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'app.js'), bundle.js);
  writeFileSync(join(outDir, 'app.css'), bundle.css);
}
