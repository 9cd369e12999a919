// `tunekit dashboard` as a user runs it: the built binary prints the URL, serves the API over the
// storage (read-only), refuses a public host without a token, and stops cleanly on SIGINT.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStudy } from '../../dashboard/test-fixtures.js';
import { getStorage } from '../../storages/get-storage.js';
import { buildCli, runCli, startCli, tempDir, waitCli } from '../e2e-harness.js';

let bin: string;
let dir: string;
let storage: string;

beforeAll(async () => {
  bin = await buildCli();
  dir = tempDir('tunekit-dash-cli-');
  storage = `sqlite:///${join(dir, 'studies.db')}`;
  const s = await getStorage(storage);
  await seedStudy(s, { name: 'from-cli', nTrials: 10 });
  await s.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tunekit dashboard', () => {
  it('prints the URL, serves the storage read-only, and exits 0 on SIGINT', async () => {
    const child = startCli(
      bin,
      ['dashboard', '--storage', storage, '--port', '0', '--token', 'token-for-tests'],
      {
        cwd: dir,
      },
    );
    const done = waitCli(child, 30_000);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    while (!/ready: /.test(out)) await new Promise((r) => setTimeout(r, 50));
    const url = /tunekit dashboard: (\S+)/.exec(out)![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=token-for-tests$/);
    expect(out).toMatch(/read-only/);
    const api = new URL('/api/studies', url);
    expect((await fetch(api)).status).toBe(401);
    const res = await fetch(api, { headers: { authorization: 'Bearer token-for-tests' } });
    const body = (await res.json()) as { studies: Array<{ name: string; nTrials: number }> };
    expect(body.studies.map((s) => [s.name, s.nTrials])).toEqual([['from-cli', 10]]);
    const del = await fetch(new URL('/api/studies/1', url), {
      method: 'DELETE',
      headers: { authorization: 'Bearer token-for-tests' },
    });
    expect(del.status).toBe(403);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
  });

  it('refuses a non-loopback host without a token (exit 2, says how to fix)', async () => {
    const r = await runCli(bin, ['dashboard', '--storage', storage, '--host', '0.0.0.0', '--port', '0'], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to listen on '0\.0\.0\.0' without a token/);
    expect(r.stderr).toMatch(/--insecure-no-token/);
  });
});
