/// <reference lib="dom" />
/**
 * The study list: name, directions, trial counts by state, best value and last activity, with
 * search (by name, in the browser) and sort; refreshed every few seconds.
 * @module
 */
import { getJson } from './api.js';
import { fmtDate, fmtNumber, h, replace } from './dom.js';
import type { StudyItem } from './types.js';

type SortKey = 'name' | 'nTrials' | 'bestValue' | 'lastActivity';

const STATES = ['complete', 'pruned', 'fail', 'running', 'waiting'] as const;

/** A page the router can mount and leave. */
export interface Page {
  readonly root: HTMLElement;
  leave(): void;
}

function compare(a: StudyItem, b: StudyItem, key: SortKey): number {
  switch (key) {
    case 'name':
      return a.name.localeCompare(b.name);
    case 'nTrials':
      return b.nTrials - a.nTrials;
    case 'bestValue':
      return (a.bestValue ?? Number.POSITIVE_INFINITY) - (b.bestValue ?? Number.POSITIVE_INFINITY);
    case 'lastActivity':
      return (b.lastActivity ?? '').localeCompare(a.lastActivity ?? '');
  }
}

/** Mounts the study list. */
export function studyListPage(onError: (e: unknown) => void): Page {
  let studies: StudyItem[] = [];
  let search = '';
  let sort: SortKey = 'lastActivity';
  const tbody = h('tbody');
  const count = h('span', { class: 'muted' });
  const searchBox = h('input', {
    type: 'search',
    placeholder: 'Search studies',
    class: 'search',
    oninput: (e) => {
      search = (e.target as HTMLInputElement).value;
      render();
    },
  });
  const sortSelect = h(
    'select',
    {
      class: 'sort',
      onchange: (e) => {
        sort = (e.target as HTMLSelectElement).value as SortKey;
        render();
      },
    },
    h('option', { value: 'lastActivity', selected: true }, 'Last activity'),
    h('option', { value: 'name' }, 'Name'),
    h('option', { value: 'nTrials' }, 'Trials'),
    h('option', { value: 'bestValue' }, 'Best value'),
  );
  const root = h(
    'section',
    { class: 'study-list' },
    h('h1', {}, 'Studies ', count),
    h('div', { class: 'toolbar' }, searchBox, h('label', {}, 'Sort by ', sortSelect)),
    h(
      'table',
      { class: 'studies' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Name'),
          h('th', {}, 'Directions'),
          h('th', {}, 'Trials'),
          ...STATES.map((s) => h('th', { class: `state-${s}` }, s)),
          h('th', {}, 'Best value'),
          h('th', {}, 'Last activity'),
        ),
      ),
      tbody,
    ),
  );

  function render(): void {
    const needle = search.trim().toLowerCase();
    const shown = studies
      .filter((s) => s.name.toLowerCase().includes(needle))
      .sort((a, b) => compare(a, b, sort));
    count.textContent = `(${shown.length} of ${studies.length})`;
    replace(
      tbody,
      ...shown.map((s) =>
        h(
          'tr',
          { dataset: { studyId: String(s.id) } },
          h('td', {}, h('a', { href: `#/studies/${s.id}`, class: 'study-link' }, s.name)),
          h('td', {}, s.directions.join(', ')),
          h('td', { class: 'num' }, s.nTrials),
          ...STATES.map((st) => h('td', { class: `num state-${st}` }, s.counts[st])),
          h('td', { class: 'num' }, fmtNumber(s.bestValue)),
          h('td', {}, fmtDate(s.lastActivity)),
        ),
      ),
    );
    if (shown.length === 0) {
      tbody.appendChild(
        h(
          'tr',
          {},
          h('td', { class: 'muted' }, studies.length === 0 ? 'No studies in this storage.' : 'No match.'),
        ),
      );
    }
  }

  async function load(): Promise<void> {
    try {
      studies = (await getJson<{ studies: StudyItem[] }>('/api/studies')).studies;
      render();
    } catch (e) {
      onError(e);
    }
  }

  void load();
  const timer = setInterval(() => void load(), 5000);
  return { root, leave: () => clearInterval(timer) };
}
