/// <reference lib="dom" />
/**
 * A trial's detail: state, values, parameters, intermediate values (a small chart and a table),
 * user and system attributes, and the tail of its `tunekit run` log, all as text. With writes
 * allowed, a running trial can be marked failed or pruned.
 * @module
 */
import { ApiError, getJson, sendJson } from './api.js';
import { drawChart } from './charts.js';
import { fmtDate, fmtDuration, fmtNumber, fmtValue, h, replace } from './dom.js';
import type { StudyDetail, TrialDetail } from './types.js';

function kvTable(entries: Array<[string, string]>, cls: string): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'muted' }, 'none');
  return h(
    'table',
    { class: `kv ${cls}` },
    h('tbody', {}, ...entries.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))),
  );
}

/** Shows trial `number` of `study` in `el`; `onChanged` after a write. */
export async function showTrialDetail(
  el: HTMLElement,
  study: StudyDetail,
  number: number,
  allowWrites: boolean,
  onChanged: () => void,
): Promise<void> {
  const t = await getJson<TrialDetail>(`/api/studies/${study.id}/trials/${number}`);
  const curve = h('div', { class: 'chart chart-small', dataset: { kind: 'trial-intermediate' } });
  const actions = h('div', { class: 'actions' });
  if (allowWrites && t.state === 'running') {
    const tell = (state: 'fail' | 'pruned') => async () => {
      try {
        await sendJson('POST', `/api/studies/${study.id}/trials/${number}/tell`, { state });
        onChanged();
      } catch (e) {
        replace(actions, h('p', { class: 'error' }, e instanceof ApiError ? e.message : String(e)));
      }
    };
    actions.append(
      h('button', { type: 'button', class: 'tell-fail', onclick: () => void tell('fail')() }, 'Mark failed'),
      h(
        'button',
        { type: 'button', class: 'tell-pruned', onclick: () => void tell('pruned')() },
        'Mark pruned',
      ),
    );
  }
  replace(
    el,
    h('h2', {}, `Trial ${t.number}`, h('span', { class: `badge state-${t.state}` }, t.state)),
    actions,
    kvTable(
      [
        ...study.directions.map((d, i): [string, string] => [
          study.metricNames[i] ?? (study.directions.length === 1 ? `value (${d})` : `value ${i} (${d})`),
          fmtNumber(t.values?.[i]),
        ]),
        ['started', fmtDate(t.datetimeStart)],
        ['completed', fmtDate(t.datetimeComplete)],
        ['duration', fmtDuration(t.durationMs)],
      ],
      'summary',
    ),
    h('h3', {}, 'Parameters'),
    kvTable(
      Object.entries(t.params).map(([k, v]) => [k, fmtValue(v)]),
      'params',
    ),
    h('h3', {}, `Intermediate values (${t.intermediateValues.length})`),
    t.intermediateValues.length > 0 ? curve : h('p', { class: 'muted' }, 'none'),
    h('h3', {}, 'User attributes'),
    kvTable(
      Object.entries(t.userAttrs).map(([k, v]) => [k, fmtValue(v)]),
      'user-attrs',
    ),
    h('h3', {}, 'System attributes'),
    kvTable(
      Object.entries(t.systemAttrs).map(([k, v]) => [k, fmtValue(v)]),
      'system-attrs',
    ),
    t.log === null
      ? null
      : h(
          'div',
          { class: 'log' },
          h(
            'h3',
            {},
            'Log ',
            h('span', { class: 'muted' }, t.log.path, t.log.truncated ? ' (last 64 KB)' : ''),
          ),
          h('pre', { class: 'log-text' }, t.log.text),
        ),
  );
  if (t.intermediateValues.length > 0) {
    const data = t.intermediateValues.map(([s, v]) => [s, typeof v === 'number' ? v : null]);
    drawChart(
      curve,
      'trial-intermediate',
      {
        animation: false,
        grid: { left: 60, right: 20, top: 20, bottom: 30 },
        tooltip: { trigger: 'axis', renderMode: 'richText' },
        xAxis: { type: 'value', name: 'step' },
        yAxis: { type: 'value', scale: true },
        series: [{ type: 'line', data, showSymbol: data.length < 50 }],
      },
      { version: 0, nPoints: data.length },
    );
  }
}
