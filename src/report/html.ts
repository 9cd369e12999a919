/**
 * Escaping for the self-contained HTML report: text and attribute values, JSON embedded in a
 * `<script type="application/json">` element, and checks on inlined scripts.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>`, `&` and U+2028/U+2029 written
 * as `\u` escapes, so no `</script>` or `<!--` can end or change the element, and the text is
 * also valid JavaScript. Non-finite numbers become null (as JSON.stringify does).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Checks that a script's source can be inlined in a `<script>` element unchanged. */
export function assertInlineScript(source: string, what: string): string {
  if (/<\/script|<!--/i.test(source)) {
    throw new InvalidArgumentError(`${what} contains '</script' or '<!--' and cannot be inlined in HTML.`);
  }
  return source;
}
