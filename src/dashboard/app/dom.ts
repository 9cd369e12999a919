/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Building DOM without markup: every piece of data becomes a text node (`textContent`), never
 * HTML, so study names, parameter names, categorical values, attributes and logs cannot inject
 * anything. Attributes are set one by one, and only the ones listed in {@link Attrs}.
 * @module
 */

/** Attributes and handlers {@link h} may set. */
export interface Attrs {
  class?: string;
  /** Only in-page links (`#/…`). */
  href?: string;
  title?: string;
  type?: string;
  value?: string;
  placeholder?: string;
  name?: string;
  checked?: boolean;
  disabled?: boolean;
  selected?: boolean;
  step?: string;
  min?: string;
  for?: string;
  id?: string;
  dataset?: Record<string, string>;
  onclick?: (e: MouseEvent) => void;
  oninput?: (e: Event) => void;
  onchange?: (e: Event) => void;
  onsubmit?: (e: SubmitEvent) => void;
}

/** A child: a node, text (any value shown as text), or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Creates an element with attributes and children (text children as text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs) as [keyof Attrs, unknown][]) {
    if (value === undefined) continue;
    switch (key) {
      case 'class':
        el.className = value as string;
        break;
      case 'href':
        if (typeof value === 'string' && value.startsWith('#')) el.setAttribute('href', value);
        break;
      case 'dataset':
        for (const [k, v] of Object.entries(value as Record<string, string>)) el.dataset[k] = v;
        break;
      case 'checked':
      case 'disabled':
      case 'selected':
        (el as unknown as Record<string, boolean>)[key] = value as boolean;
        break;
      case 'value':
        (el as unknown as { value: string }).value = value as string;
        break;
      case 'onclick':
      case 'oninput':
      case 'onchange':
      case 'onsubmit':
        el.addEventListener(key.slice(2), value as EventListener);
        break;
      case 'for':
        el.setAttribute('for', value as string);
        break;
      default:
        el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children (text as text nodes). */
export function append(el: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A number for display: 6 significant digits, names for non-finite values. */
export function fmtNumber(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

/** Any parameter or attribute value as text (JSON for objects). */
export function fmtValue(v: unknown): string {
  if (typeof v === 'number') return fmtNumber(v);
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A date (ISO text) for display, or a dash. */
export function fmtDate(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** A duration in ms for display. */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
