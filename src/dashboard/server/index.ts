/**
 * The dashboard server: `startDashboard` and its options.
 * @module
 */

export type { PlotFunction, PlotRegistry } from './plots.js';
export { type Dashboard, type DashboardOptions, startDashboard } from './server.js';
