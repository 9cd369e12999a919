/// <reference lib="dom" />
/**
 * The trial table: one page of trials from the server, sorted by a clicked column, filtered by
 * state and by parameter (or objective) ranges, with paging. Clicking a row opens the trial.
 * @module
 */
import { getJson, query } from './api.js';
import { fmtDuration, fmtNumber, fmtValue, h, replace } from './dom.js';
import type { StudyDetail, TrialPage } from './types.js';

const STATES = ['complete', 'pruned', 'fail', 'running', 'waiting'] as const;

interface RangeFilter {
  /** `param.<name>` or `value.<i>`. */
  target: string;
  min: string;
  max: string;
}

/** The table; `reload()` refetches the current page (after a live update). */
export interface TrialTable {
  readonly root: HTMLElement;
  reload(): Promise<void>;
  setStudy(study: StudyDetail): void;
}

/** Mounts the trial table of a study. */
export function trialTable(
  initial: StudyDetail,
  onOpen: (number: number) => void,
  onError: (e: unknown) => void,
): TrialTable {
  let study = initial;
  const states = new Set<string>();
  let sort = 'number';
  let order: 'asc' | 'desc' = 'asc';
  let offset = 0;
  let limit = 25;
  const ranges: RangeFilter[] = [];
  let page: TrialPage | null = null;

  const thead = h('thead');
  const tbody = h('tbody');
  const pager = h('div', { class: 'pager' });
  const rangeList = h('ul', { class: 'filters' });
  const targetSelect = h('select', { class: 'filter-target' });
  const minBox = h('input', { type: 'text', placeholder: 'min', class: 'filter-min' });
  const maxBox = h('input', { type: 'text', placeholder: 'max', class: 'filter-max' });

  const stateBoxes = h(
    'div',
    { class: 'state-filter' },
    'State: ',
    ...STATES.map((s) =>
      h(
        'label',
        { class: `state-${s}` },
        h('input', {
          type: 'checkbox',
          name: 'state',
          value: s,
          onchange: (e) => {
            if ((e.target as HTMLInputElement).checked) states.add(s);
            else states.delete(s);
            offset = 0;
            void reload();
          },
        }),
        s,
      ),
    ),
  );
  const rangeForm = h(
    'form',
    {
      class: 'range-filter',
      onsubmit: (e) => {
        e.preventDefault();
        if (minBox.value.trim() === '' && maxBox.value.trim() === '') return;
        ranges.push({ target: targetSelect.value, min: minBox.value.trim(), max: maxBox.value.trim() });
        minBox.value = '';
        maxBox.value = '';
        offset = 0;
        renderRanges();
        void reload();
      },
    },
    'Range: ',
    targetSelect,
    minBox,
    maxBox,
    h('button', { type: 'submit', class: 'add-filter' }, 'Add filter'),
  );
  const root = h(
    'section',
    { class: 'trials' },
    h('h2', {}, 'Trials'),
    h('div', { class: 'toolbar' }, stateBoxes, rangeForm),
    rangeList,
    h('table', { class: 'trial-table' }, thead, tbody),
    pager,
  );

  function targets(): Array<[string, string]> {
    const out: Array<[string, string]> = study.directions.map((_, i) => [
      `value.${i}`,
      study.metricNames[i] ?? (study.directions.length === 1 ? 'value' : `value ${i}`),
    ]);
    for (const p of study.params)
      if (p.distribution.type !== 'categorical') out.push([`param.${p.name}`, p.name]);
    return out;
  }

  function renderTargets(): void {
    const current = targetSelect.value;
    replace(
      targetSelect,
      ...targets().map(([v, label]) => h('option', { value: v, selected: v === current }, label)),
    );
  }

  function renderRanges(): void {
    replace(
      rangeList,
      ...ranges.map((r, i) =>
        h(
          'li',
          {},
          `${r.target}: ${r.min === '' ? '−∞' : r.min} … ${r.max === '' ? '+∞' : r.max} `,
          h(
            'button',
            {
              type: 'button',
              class: 'remove-filter',
              onclick: () => {
                ranges.splice(i, 1);
                offset = 0;
                renderRanges();
                void reload();
              },
            },
            '×',
          ),
        ),
      ),
    );
  }

  function header(label: string, key: string): HTMLTableCellElement {
    const mark = sort === key ? (order === 'asc' ? ' ▲' : ' ▼') : '';
    return h(
      'th',
      {
        class: 'sortable',
        dataset: { sort: key },
        onclick: () => {
          if (sort === key) order = order === 'asc' ? 'desc' : 'asc';
          else {
            sort = key;
            order = 'asc';
          }
          offset = 0;
          void reload();
        },
      },
      label + mark,
    );
  }

  function render(): void {
    const p = page;
    replace(
      thead,
      h(
        'tr',
        {},
        header('#', 'number'),
        header('State', 'state'),
        ...study.directions.map((_, i) =>
          header(
            study.metricNames[i] ?? (study.directions.length === 1 ? 'Value' : `Value ${i}`),
            `value.${i}`,
          ),
        ),
        ...study.params.map((par) => header(par.name, `param.${par.name}`)),
        header('Duration', 'duration'),
      ),
    );
    if (p === null) return;
    replace(
      tbody,
      ...p.trials.map((t) =>
        h(
          'tr',
          {
            class: `trial-row state-${t.state}`,
            dataset: { number: String(t.number) },
            onclick: () => onOpen(t.number),
          },
          h('td', { class: 'num' }, t.number),
          h('td', {}, t.state),
          ...study.directions.map((_, i) => h('td', { class: 'num' }, fmtNumber(t.values?.[i]))),
          ...study.params.map((par) =>
            h('td', {}, par.name in t.params ? fmtValue(t.params[par.name]) : '—'),
          ),
          h('td', { class: 'num' }, fmtDuration(t.durationMs)),
        ),
      ),
    );
    const last = Math.min(p.offset + p.limit, p.total);
    replace(
      pager,
      h(
        'button',
        {
          type: 'button',
          class: 'prev',
          disabled: p.offset === 0,
          onclick: () => {
            offset = Math.max(0, offset - limit);
            void reload();
          },
        },
        '‹ Prev',
      ),
      h('span', { class: 'range' }, p.total === 0 ? 'no trials' : `${p.offset + 1}–${last} of ${p.total}`),
      h(
        'button',
        {
          type: 'button',
          class: 'next',
          disabled: last >= p.total,
          onclick: () => {
            offset += limit;
            void reload();
          },
        },
        'Next ›',
      ),
      h(
        'select',
        {
          class: 'page-size',
          onchange: (e) => {
            limit = Number((e.target as HTMLSelectElement).value);
            offset = 0;
            void reload();
          },
        },
        ...[25, 50, 100, 500].map((n) =>
          h('option', { value: String(n), selected: n === limit }, `${n} / page`),
        ),
      ),
    );
  }

  let seq = 0;
  async function reload(): Promise<void> {
    const pairs: Array<[string, string | number]> = [
      ['sort', sort],
      ['order', order],
      ['offset', offset],
      ['limit', limit],
    ];
    if (states.size > 0) pairs.push(['state', [...states].join(',')]);
    for (const r of ranges) {
      if (r.min !== '') pairs.push([`${r.target}.min`, r.min]);
      if (r.max !== '') pairs.push([`${r.target}.max`, r.max]);
    }
    const mine = ++seq;
    try {
      const p = await getJson<TrialPage>(`/api/studies/${study.id}/trials${query(pairs)}`);
      if (mine !== seq) return;
      page = p;
      root.dataset.total = String(p.total);
      render();
    } catch (e) {
      onError(e);
    }
  }

  renderTargets();
  render();
  return {
    root,
    reload,
    setStudy: (s) => {
      study = s;
      renderTargets();
    },
  };
}
