/**
 * Self-contained HTML reports of a study: summary, best trial(s) and every plot, viewable
 * offline (`tunekit report STUDY --out report.html` on the command line).
 * @module
 */
export { escapeHtml, jsonForScript } from './html.js';
export { type ReportOptions, renderReport } from './render-report.js';
export { writeReport } from './write-report.js';
