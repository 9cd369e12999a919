/// <reference lib="dom" />
/**
 * The dashboard's browser app (plain TypeScript, bundled with esbuild): a hash router over the
 * study list (`#/`), a study (`#/studies/:id`) and a trial of it (`#/studies/:id/trials/:n`).
 * @module
 */
import './styles.css';
import { ApiError, getJson } from './api.js';
import { hook } from './charts.js';
import { h, replace } from './dom.js';
import { type Page, studyListPage } from './study-list.js';
import { studyPage } from './study-page.js';
import type { Info } from './types.js';

type Route = { page: 'list' } | { page: 'study'; id: number; trial: number | null };

function parseRoute(hash: string): Route {
  const m = /^#\/studies\/(\d+)(?:\/trials\/(\d+))?\/?$/.exec(hash);
  if (m) return { page: 'study', id: Number(m[1]), trial: m[2] === undefined ? null : Number(m[2]) };
  return { page: 'list' };
}

async function start(): Promise<void> {
  hook();
  const app = document.getElementById('app')!;
  const banner = h('div', { class: 'banner' });
  const main = h('main');
  const header = h(
    'header',
    {},
    h('a', { href: '#/', class: 'brand' }, 'tunekit'),
    h('span', { class: 'mode' }),
  );
  replace(app, header, banner, main);

  const showError = (e: unknown): void => {
    if (e instanceof ApiError && e.status === 401) {
      replace(
        banner,
        h(
          'p',
          { class: 'error' },
          'This dashboard needs its token: open the URL that `tunekit dashboard` printed (it ends in ?token=…).',
        ),
      );
      return;
    }
    replace(banner, h('p', { class: 'error' }, e instanceof Error ? e.message : String(e)));
  };

  let info: Info;
  try {
    info = await getJson<Info>('/api/info');
  } catch (e) {
    showError(e);
    return;
  }
  header.querySelector('.mode')!.textContent =
    `${info.allowWrites ? 'read-write' : 'read-only'} · v${info.version}`;

  let current: (Page & { openTrial?: (n: number | null) => void }) | null = null;
  let currentStudy: number | null = null;
  const route = (): void => {
    const r = parseRoute(window.location.hash);
    replace(banner);
    if (r.page === 'study' && currentStudy === r.id && current?.openTrial) {
      current.openTrial(r.trial);
      return;
    }
    current?.leave();
    if (r.page === 'list') {
      currentStudy = null;
      current = studyListPage(showError);
    } else {
      currentStudy = r.id;
      const p = studyPage(r.id, info, showError);
      if (r.trial !== null) p.openTrial(r.trial);
      current = p;
    }
    replace(main, current.root);
  };
  window.addEventListener('hashchange', route);
  route();
}

void start();
