import { describe, expect, it } from 'vitest';
import { assertInlineScript, escapeHtml, jsonForScript } from './html.js';

describe('escapeHtml', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;',
    );
  });
});

describe('jsonForScript', () => {
  it('escapes <, >, & and the line separators and stays equal JSON', () => {
    const value = { a: '</script><script>alert(1)</script>', b: 'x & y', c: '\u2028\u2029', d: [1, 2] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('assertInlineScript', () => {
  it('refuses sources that would end the script element', () => {
    expect(() => assertInlineScript('var a = "</script>"', 'lib')).toThrow(/lib/);
    expect(assertInlineScript('var a = 1 < 2', 'lib')).toBe('var a = 1 < 2');
  });
});
