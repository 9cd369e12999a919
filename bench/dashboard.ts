/**
 * Dashboard at scale (`npm run bench:dashboard`): builds a 100,000-trial SQLite study (10 float
 * parameters; intermediate values on a tenth of the trials), starts `tunekit dashboard` on it in
 * its own process, and measures in Chromium the time from navigation to every plot of the study
 * page drawn — cold (a trial changed just before: the server recomputes each plot, except the
 * importance, which the server reuses for 15 s on a changing study) and warm (cached until the
 * study changes) — plus the server's RSS. Targets: ≤ 2 s, < 500 MB.
 *
 *   --trials 100000   --params 10   --steps 20   --runs 3
 *
 * Timings are noisy on a shared machine; the figures are medians of `--runs` visits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { distributionToJson, floatDistribution } from '../src/core/distributions.js';
import { launchBrowser } from '../src/dashboard/browser-harness.js';
import { getStorage } from '../src/storages/get-storage.js';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '100000' },
    params: { type: 'string', default: '10' },
    steps: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    /** Reuse (or keep) the study in this SQLite file instead of a temporary one. */
    db: { type: 'string' },
  },
});
const nTrials = Number(args.trials);
const d = Number(args.params);
const steps = Number(args.steps);
const runs = Number(args.runs);

const dir = mkdtempSync(join(tmpdir(), 'tunekit-bench-dash-'));
const dbPath = args.db ?? join(dir, 'bench.db');

/** Builds the study with raw SQL in one transaction (the storage's schema, its encodings). */
async function buildStudy(): Promise<number> {
  const storage = await getStorage(`sqlite:///${dbPath}`);
  if (args.db !== undefined && existsSync(dbPath)) {
    const existing = await storage.getStudyIdFromName('bench-100k').catch(() => null);
    if (existing !== null) {
      await storage.close();
      return existing;
    }
  }
  const studyId = await storage.createStudy('bench-100k', ['minimize']);
  await storage.close();
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  const dist = distributionToJson(floatDistribution(0, 1));
  let state = 12345;
  const uniform = (): number => {
    // A small LCG: the same study on every run.
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const insTrial = db.prepare(
    `INSERT INTO trials (study_id, number, state, objective_values, datetime_start, datetime_complete, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insParam = db.prepare(
    `INSERT INTO trial_params (trial_id, name, value, distribution) VALUES (?, ?, ?, ?)`,
  );
  const insIv = db.prepare(`INSERT INTO trial_intermediate_values (trial_id, step, value) VALUES (?, ?, ?)`);
  const t0 = Date.UTC(2026, 0, 1);
  db.transaction(() => {
    for (let j = 0; j < d; j++) {
      db.prepare(`INSERT INTO study_params (study_id, name, distribution) VALUES (?, ?, ?)`).run(
        studyId,
        `x${j}`,
        dist,
      );
    }
    for (let i = 0; i < nTrials; i++) {
      const xs = Array.from({ length: d }, () => uniform());
      let f = 0;
      for (let j = 0; j < d; j++) f += (j + 1) * (xs[j]! - 0.5) ** 2;
      const st = i % 50 === 49 ? 'fail' : i % 10 === 9 ? 'pruned' : 'complete';
      const info = insTrial.run(
        studyId,
        i,
        st,
        st === 'complete' ? JSON.stringify([f]) : null,
        t0 + i * 1000,
        t0 + i * 1000 + 900,
        i + 1,
      );
      const id = Number(info.lastInsertRowid);
      for (let j = 0; j < d; j++) insParam.run(id, `x${j}`, xs[j], dist);
      if (i % 10 === 0 || st === 'pruned') {
        const n = st === 'pruned' ? steps / 2 : steps;
        for (let s = 0; s < n; s++) insIv.run(id, s, f + (steps - s) / steps);
      }
    }
    db.prepare(`UPDATE studies SET seq = ?, n_trials = ? WHERE study_id = ?`).run(nTrials, nTrials, studyId);
  })();
  db.close();
  return studyId;
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** CPU time (ms) of a process: user + system. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The processes descending from `root` (Chromium's renderer, GPU and utility processes). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parent.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const p = frontier.pop()!;
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        frontier.push(child);
      }
    }
  }
  return out;
}

/** CPU time (ms) used so far by the server and by the browser's processes. */
function cpuNow(serverPid: number): { server: number; browser: number } {
  const browser = descendants(process.pid)
    .filter((p) => p !== serverPid && !descendants(serverPid).includes(p))
    .reduce((n, p) => n + cpuMs(p), 0);
  return { server: cpuMs(serverPid), browser };
}

function startServer(): Promise<{ proc: ChildProcess; url: string; loadS: number }> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'dashboard', '--storage', `sqlite:///${dbPath}`, '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let url = '';
    proc.on('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${out}`)));
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      url ||= /tunekit dashboard: (\S+)/.exec(out)?.[1] ?? '';
      const ready = /ready: studies loaded and plots computed in ([\d.]+) s/.exec(out);
      if (url !== '' && ready) resolve({ proc, url, loadS: Number(ready[1]) });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const tBuild = performance.now();
const studyId = await buildStudy();
console.log(`load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log(`built ${nTrials} trials × ${d} params in ${((performance.now() - tBuild) / 1000).toFixed(1)} s`);
const tStart = performance.now();
const { proc, url, loadS } = await startServer();
const loadPeak = rssMb(proc.pid!).peak;
console.log(
  `server ready in ${((performance.now() - tStart) / 1000).toFixed(1)} s (study loaded and plots computed in ${loadS} s)`,
);
let peakSeen = rssMb(proc.pid!).rss;
let servingMax = 0;
const sampler = setInterval(() => {
  const now = rssMb(proc.pid!).rss;
  peakSeen = Math.max(peakSeen, now);
  servingMax = Math.max(servingMax, now);
}, 50);

const study = (await (await fetch(new URL(`/api/studies/${studyId}`, url))).json()) as { plots: string[] };
// Bundle the app once (from source it is built on first request) so that it is not timed.
await fetch(new URL('/assets/app.js', url));

const browser = await launchBrowser();
const cold: number[] = [];
const warm: number[] = [];
const coldNoImportance: number[] = [];
const cpu: Record<'cold' | 'warm', Array<{ server: number; browser: number }>> = { cold: [], warm: [] };
const perPlot: Record<string, number> = {};
const drawAt: Record<string, Record<string, number>> = {};
try {
  for (let r = 0; r < runs; r++) {
    for (const kind of ['cold', 'warm'] as const) {
      if (kind === 'cold') {
        // A new version of the study: the server recomputes every plot.
        const db = new Database(dbPath);
        const seq =
          (db.prepare(`SELECT seq FROM studies WHERE study_id = ?`).get(studyId) as { seq: number }).seq + 1;
        db.prepare(`UPDATE trials SET seq = ? WHERE study_id = ? AND number = 0`).run(seq, studyId);
        db.prepare(
          `UPDATE trials SET datetime_complete = datetime_complete + 1 WHERE study_id = ? AND number = 0`,
        ).run(studyId);
        db.prepare(`UPDATE studies SET seq = ? WHERE study_id = ?`).run(seq, studyId);
        db.close();
      }
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const cpu0 = cpuNow(proc.pid!);
      await page.goto(`${url}#/studies/${studyId}`);
      await page.waitForFunction(
        (kinds) =>
          kinds.every((k) => window.__tunekit?.plots?.[k] !== undefined && window.__tunekit.charts[k]),
        study.plots,
        { timeout: 120_000, polling: 20 },
      );
      const cpu1 = cpuNow(proc.pid!);
      cpu[kind].push({ server: cpu1.server - cpu0.server, browser: cpu1.browser - cpu0.browser });
      // Draw times in the page, from the start of navigation.
      const at = await page.evaluate(() =>
        Object.fromEntries(Object.entries(window.__tunekit.plots).map(([k, p]) => [k, p.at])),
      );
      const all = Math.max(...study.plots.map((k) => at[k]!));
      const butImportance = Math.max(...study.plots.filter((k) => k !== 'importance').map((k) => at[k]!));
      (kind === 'cold' ? cold : warm).push(all);
      if (kind === 'cold') coldNoImportance.push(butImportance);
      if (r === 0) drawAt[kind] = at;
      if (r === runs - 1 && kind === 'warm') {
        mkdirSync('test-artifacts', { recursive: true });
        await page.screenshot({ path: 'test-artifacts/dashboard-100k.png', fullPage: true });
      }
      if (kind === 'cold' && r === 0) {
        for (const k of study.plots) {
          const p0 = performance.now();
          await fetch(new URL(`/api/studies/${studyId}/plots/${k}?omit=data&fresh=${r}`, url));
          perPlot[k] = performance.now() - p0;
        }
      }
      await page.close();
    }
  }
  const tq0 = performance.now();
  await fetch(
    new URL(`/api/studies/${studyId}/trials?sort=param.x3&order=desc&state=complete&param.x0.min=0.5`, url),
  );
  const tableMs = performance.now() - tq0;
  const mem = rssMb(proc.pid!);
  clearInterval(sampler);
  const peak = Math.max(mem.peak, peakSeen);
  const coldMs = median(cold);
  const warmMs = median(warm);
  console.log('\nper plot: server time on a new version; drawn at (ms from navigation) cold, warm:');
  for (const [k, v] of Object.entries(perPlot)) {
    console.log(
      `  ${k.padEnd(22)} ${v.toFixed(0).padStart(6)} ${drawAt.cold?.[k]?.toFixed(0).padStart(7)} ${drawAt.warm?.[k]?.toFixed(0).padStart(7)}`,
    );
  }
  console.log(`\n| measure | result | target |`);
  console.log(`|---|---|---|`);
  console.log(`| study load into the server cache (${nTrials} trials) | ${loadS.toFixed(1)} s | |`);
  console.log(
    `| navigation → all ${study.plots.length} plots drawn, cold (server recomputes all but importance) | ${(coldMs / 1000).toFixed(2)} s | ≤ 2 s ${coldMs <= 2000 ? '(met)' : '(not met)'} |`,
  );
  console.log(
    `| navigation → all plots but importance drawn, cold | ${(median(coldNoImportance) / 1000).toFixed(2)} s | |`,
  );
  console.log(
    `| navigation → all plots drawn, warm (cached plots) | ${(warmMs / 1000).toFixed(2)} s | ≤ 2 s ${warmMs <= 2000 ? '(met)' : '(not met)'} |`,
  );
  for (const k of ['cold', 'warm'] as const) {
    const srv = median(cpu[k].map((c) => c.server));
    const brw = median(cpu[k].map((c) => c.browser));
    console.log(`| CPU time of one ${k} visit: server + browser | ${srv} + ${brw} ms | |`);
  }
  console.log(`| trial table page (filter + sort over all trials) | ${tableMs.toFixed(0)} ms | |`);
  const met = (mb: number): string => (mb < 500 ? '(met)' : '(not met)');
  console.log(
    `| server peak RSS up to ready (loading the study) | ${loadPeak.toFixed(0)} MB | < 500 MB ${met(loadPeak)} |`,
  );
  console.log(
    `| server RSS while serving the visits (max sampled) | ${servingMax.toFixed(0)} MB | < 500 MB ${met(servingMax)} |`,
  );
  console.log(`| server peak RSS over the whole run | ${peak.toFixed(0)} MB | |`);
  console.log(
    `\ncold runs: ${cold.map((x) => x.toFixed(0)).join(', ')} ms; warm: ${warm.map((x) => x.toFixed(0)).join(', ')} ms`,
  );
} finally {
  clearInterval(sampler);
  await browser.close();
  proc.kill('SIGINT');
  await new Promise((r) => proc.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
