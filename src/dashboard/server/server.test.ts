// The dashboard's HTTP API without a browser: listing, trial queries, details with the CLI log,
// plots with ETags, live changes (polling and server-sent events), read-only refusals, writes
// with --allow-writes, the token (header, ?token= → cookie), Host and Origin checks, headers.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { floatDistribution } from '../../core/distributions.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { InMemoryStorage } from '../../storages/in-memory/in-memory-storage.js';
import { seededState, seedStudy } from '../test-fixtures.js';
import { type Dashboard, startDashboard } from './index.js';

const N = 30;
let storage: InMemoryStorage;
let studyId: number;
let mooId: number;
let dir: string;
const open: Dashboard[] = [];

async function start(options: Parameters<typeof startDashboard>[0] = {}): Promise<Dashboard> {
  const d = await startDashboard({ storage, port: 0, pollMs: 50, maxAgeMs: 0, ...options });
  open.push(d);
  return d;
}

async function get(
  d: Dashboard,
  path: string,
  init: RequestInit = {},
  // biome-ignore lint/suspicious/noExplicitAny: the tests read many JSON shapes.
): Promise<{ status: number; body: any; res: Response }> {
  const res = await fetch(new URL(path, d.url.replace(/\?.*$/, '')), init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text), res };
}

/** A raw request (fetch cannot set Host). */
function raw(
  d: Dashboard,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: d.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  storage = new InMemoryStorage();
  studyId = await seedStudy(storage, { name: 'alpha', nTrials: N, userAttrs: { team: 'red' } });
  mooId = await seedStudy(storage, { name: 'beta', nTrials: 12, directions: ['minimize', 'maximize'] });
  dir = mkdtempSync(join(tmpdir(), 'tunekit-dash-api-'));
});

afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dashboard API (read-only default)', () => {
  it('lists studies with counts by state and best value', async () => {
    const d = await start();
    const { status, body } = await get(d, '/api/studies');
    expect(status).toBe(200);
    const alpha = body.studies.find((s: { name: string }) => s.name === 'alpha');
    const states = Array.from({ length: N }, (_, i) => seededState(i));
    expect(alpha.nTrials).toBe(N);
    expect(alpha.counts.pruned).toBe(states.filter((s) => s === 'pruned').length);
    expect(alpha.counts.fail).toBe(states.filter((s) => s === 'fail').length);
    expect(alpha.directions).toEqual(['minimize']);
    const trials = await storage.getAllTrials(studyId);
    const best = Math.min(...trials.filter((t) => t.state === 'complete').map((t) => t.values![0]!));
    expect(alpha.bestValue).toBe(best);
    expect(typeof alpha.lastActivity).toBe('string');
  });

  it('describes a study: parameters, plots that apply, attributes', async () => {
    const d = await start();
    const { body } = await get(d, `/api/studies/${studyId}`);
    expect(body.params.map((p: { name: string }) => p.name)).toEqual(['kind', 'n', 'x']);
    expect(body.plots).toContain('history');
    expect(body.plots).not.toContain('pareto-front');
    const moo = await get(d, `/api/studies/${mooId}`);
    expect(moo.body.plots).toContain('pareto-front');
    expect(moo.body.plots).toContain('hypervolume-history');
    expect((await get(d, '/api/studies/9999')).status).toBe(404);
    expect((await get(d, '/api/studies/abc')).status).toBe(400);
  });

  it('filters, sorts and pages trials on the server', async () => {
    const d = await start();
    const all = await storage.getAllTrials(studyId);
    const pruned = await get(d, `/api/studies/${studyId}/trials?state=pruned`);
    expect(pruned.body.total).toBe(all.filter((t) => t.state === 'pruned').length);
    expect(new Set(pruned.body.trials.map((t: { state: string }) => t.state))).toEqual(new Set(['pruned']));

    const sorted = await get(d, `/api/studies/${studyId}/trials?sort=value&order=desc&limit=5`);
    const values = all.filter((t) => t.values !== null).map((t) => t.values![0]!);
    values.sort((a, b) => b - a);
    expect(sorted.body.trials.map((t: { values: number[] }) => t.values[0])).toEqual(values.slice(0, 5));

    const ranged = await get(d, `/api/studies/${studyId}/trials?param.x.min=0&param.x.max=2.5&limit=1000`);
    const expected = all.filter((t) => (t.params.x as number) >= 0 && (t.params.x as number) <= 2.5);
    expect(ranged.body.total).toBe(expected.length);
    expect(ranged.body.trials.map((t: { number: number }) => t.number)).toEqual(
      expected.map((t) => t.number),
    );

    const cat = await get(d, `/api/studies/${studyId}/trials?param.kind.in=sgd&limit=1000`);
    expect(cat.body.total).toBe(all.filter((t) => t.params.kind === 'sgd').length);

    const page2 = await get(d, `/api/studies/${studyId}/trials?offset=10&limit=10`);
    expect(page2.body.trials.map((t: { number: number }) => t.number)).toEqual(
      Array.from({ length: 10 }, (_, i) => 10 + i),
    );
    const byParam = await get(d, `/api/studies/${studyId}/trials?sort=param.x&limit=3`);
    const xs = all.map((t) => t.params.x as number).sort((a, b) => a - b);
    expect(byParam.body.trials.map((t: { params: { x: number } }) => t.params.x)).toEqual(xs.slice(0, 3));

    const bad = await get(d, `/api/studies/${studyId}/trials?sort=bogus`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/unknown sort 'bogus'/);
    expect((await get(d, `/api/studies/${studyId}/trials?limit=5000`)).status).toBe(400);
    expect((await get(d, `/api/studies/${studyId}/trials?state=done`)).status).toBe(400);
  });

  it('shows a trial with intermediate values, attributes and the end of its CLI log', async () => {
    const logPath = join(dir, 'trial.log');
    writeFileSync(logPath, 'epoch 1 loss 0.5\nepoch 2 loss 0.25\n');
    const t = await storage.createTrial(studyId, {
      state: 'complete',
      params: { x: 1 },
      distributions: { x: floatDistribution(-5, 5) },
      values: [Number.POSITIVE_INFINITY],
      intermediateValues: new Map([
        [1, 0.5],
        [0, 0.75],
      ]),
      userAttrs: { note: '<b>hi</b>' },
      systemAttrs: { 'tunekit:log_path': logPath },
    });
    const d = await start();
    const { body } = await get(d, `/api/studies/${studyId}/trials/${t.number}`);
    expect(body.values).toEqual(['Infinity']);
    expect(body.intermediateValues).toEqual([
      [0, 0.75],
      [1, 0.5],
    ]);
    expect(body.userAttrs).toEqual({ note: '<b>hi</b>' });
    expect(body.log).toEqual({
      path: logPath,
      text: 'epoch 1 loss 0.5\nepoch 2 loss 0.25\n',
      truncated: false,
    });
    expect((await get(d, `/api/studies/${studyId}/trials/100000`)).status).toBe(404);
    // Only *.log files: a storage writer cannot make the dashboard serve other files.
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'do not show');
    const other = await storage.createTrial(studyId, {
      state: 'fail',
      systemAttrs: { 'tunekit:log_path': secret },
    });
    expect((await get(d, `/api/studies/${studyId}/trials/${other.number}`)).body.log).toBeNull();
  });

  it('serves every plot with its point count, and 304 for an unchanged one', async () => {
    const d = await start();
    for (const kind of [
      'history',
      'intermediate',
      'parallel-coordinate',
      'slice',
      'contour',
      'edf',
      'timeline',
    ]) {
      const { status, body } = await get(d, `/api/studies/${studyId}/plots/${kind}?maxPoints=1000`);
      expect(status, kind).toBe(200);
      expect(body.kind).toBe(kind);
      expect(body.meta.nPoints).toBeGreaterThan(0);
      const series = body.spec.series as Array<{ data: unknown[] }>;
      expect(
        series.reduce((n, s) => n + s.data.length, 0),
        kind,
      ).toBe(body.meta.nPoints);
    }
    const first = await get(d, `/api/studies/${studyId}/plots/edf?omit=data`);
    expect(first.body.data).toBeNull();
    const etag = first.res.headers.get('etag')!;
    const again = await fetch(new URL(`/api/studies/${studyId}/plots/edf?omit=data`, d.url), {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const pareto = await get(d, `/api/studies/${mooId}/plots/pareto-front`);
    const nComplete = Array.from({ length: 12 }, (_, i) => seededState(i)).filter(
      (s) => s === 'complete',
    ).length;
    expect(pareto.body.meta.nPoints).toBe(nComplete);
    const unknown = await get(d, `/api/studies/${studyId}/plots/pie`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/unknown plot 'pie'/);
  });

  it('reports only what changed since a version, by polling and by server-sent events', async () => {
    const d = await start();
    const v1 = (await get(d, `/api/studies/${studyId}`)).body.version as number;
    expect((await get(d, `/api/studies/${studyId}/changes?since=${v1}`)).body.changed).toEqual([]);

    const ac = new AbortController();
    const res = await fetch(new URL(`/api/studies/${studyId}/events?since=${v1}`, d.url), {
      signal: ac.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const t = await storage.createTrial(studyId, { state: 'running' });
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('event: study')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    ac.abort();
    const data = JSON.parse(/event: study\ndata: (.*)\n/.exec(text)![1]!);
    expect(data.changed).toEqual([t.number]);
    expect(data.counts.running).toBe(1);
    expect(data.version).toBeGreaterThan(v1);

    const changes = await get(d, `/api/studies/${studyId}/changes?since=${v1}`);
    expect(changes.body.changed).toEqual([t.number]);
    expect(changes.body.trials.map((r: { state: string }) => r.state)).toEqual(['running']);
    expect((await get(d, `/api/studies/${studyId}/changes?since=0`)).body.reset).toBe(true);
    await storage.finishTrial(t.trialId, 'fail');
  });

  it('is read-only unless started with allowWrites', async () => {
    const d = await start();
    const del = await get(d, `/api/studies/${studyId}`, { method: 'DELETE' });
    expect(del.status).toBe(403);
    expect(del.body.error.code).toBe('READ_ONLY');
    expect(del.body.error.message).toMatch(/--allow-writes/);
    const tell = await get(d, `/api/studies/${studyId}/trials/0/tell`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'fail' }),
    });
    expect(tell.status).toBe(403);
    const put = await get(d, `/api/studies/${studyId}`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.res.headers.get('allow')).toBe('GET, DELETE');
    expect((await get(d, '/api/nothing')).status).toBe(404);
    expect((await storage.getAllStudies()).length).toBe(2);
  });

  it('with allowWrites, tells running trials and deletes studies; refuses cross-site writes', async () => {
    const id = await seedStudy(storage, { name: 'gamma', nTrials: 3 });
    const running = await storage.createTrial(id, { state: 'running' });
    const d = await start({ allowWrites: true });
    const post = (n: number, body: unknown, headers: Record<string, string> = {}) =>
      get(d, `/api/studies/${id}/trials/${n}/tell`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const evil = await post(running.number, { state: 'pruned' }, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('FORBIDDEN_ORIGIN');
    expect((await post(running.number, { state: 'done' })).status).toBe(400);
    const ok = await post(running.number, { state: 'pruned' });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('pruned');
    expect((await storage.getTrial(running.trialId)).state).toBe('pruned');
    const again = await post(running.number, { state: 'fail' });
    expect(again.status).toBe(409);
    const del = await get(d, `/api/studies/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await get(d, `/api/studies/${id}`)).status).toBe(404);
  });

  it('sends security headers and no CORS headers', async () => {
    const d = await start();
    for (const path of ['/', '/api/studies', '/assets/echarts.min.js']) {
      const res = await fetch(new URL(path, d.url), { headers: { origin: 'http://evil.example' } });
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      await res.arrayBuffer();
    }
    const html = await (await fetch(d.url)).text();
    expect(html).not.toMatch(/<script>|<style>|\sstyle=|\son\w+=/);
  });

  it('gzips large responses for clients that accept it', async () => {
    const d = await start();
    const gz = await new Promise<{ encoding: string | undefined; length: number }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: d.port,
          path: '/assets/echarts.min.js',
          headers: { 'accept-encoding': 'gzip' },
        },
        (res) => {
          let length = 0;
          res.on('data', (c: Buffer) => (length += c.length));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], length }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(gz.encoding).toBe('gzip');
    expect(gz.length).toBeLessThan(600_000);
    const plain = await raw(d, '/api/info', { 'accept-encoding': 'gzip' });
    expect(JSON.parse(plain.body).allowWrites).toBe(false);
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const d = await start();
    expect((await raw(d, '/api/studies', { host: 'evil.example:80' })).status).toBe(403);
    expect((await raw(d, '/api/studies', { host: `localhost:${d.port}` })).status).toBe(200);
  });
});

describe('dashboard token', () => {
  const token = 'sesame-0123456789';

  it('needs the token on every API request: Bearer, or ?token= once, which sets an HttpOnly cookie', async () => {
    const d = await start({ token });
    expect(d.url).toMatch(/\?token=sesame-0123456789$/);
    const none = await get(d, '/api/studies');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    expect(
      (await get(d, '/api/studies', { headers: { authorization: 'Bearer wrong-token-123' } })).status,
    ).toBe(401);
    expect((await get(d, '/api/studies', { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );

    const page = await fetch(d.url, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/');
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await get(d, '/api/studies', { headers: { cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
    expect((await fetch(new URL('/?token=nope', d.url), { redirect: 'manual' })).status).toBe(401);
    // The shell and assets hold no data.
    expect((await fetch(new URL('/assets/app.css', d.url))).status).toBe(200);
  });

  it('refuses a non-loopback host without a token unless insecureNoToken', async () => {
    await expect(startDashboard({ storage, host: '0.0.0.0', port: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(startDashboard({ storage, host: '0.0.0.0', port: 0 })).rejects.toThrow(/--token/);
    const d = await start({ host: '0.0.0.0', insecureNoToken: true });
    expect((await fetch(`http://127.0.0.1:${d.port}/api/info`)).status).toBe(200);
    await expect(startDashboard({ storage, port: 0, token: 'short' })).rejects.toThrow(/at least 8/);
    await expect(
      startDashboard({ storage, port: d.port, host: '0.0.0.0', insecureNoToken: true }),
    ).rejects.toThrow(/cannot listen on 0\.0\.0\.0:\d+ \(EADDRINUSE\)/);
  });
});
