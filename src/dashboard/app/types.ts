/**
 * Shapes of the API's JSON as the app reads them (see `src/dashboard/server/api.ts`).
 * @module
 */

/** Counts by trial state. */
export type Counts = Record<'waiting' | 'running' | 'complete' | 'pruned' | 'fail', number>;

/** Non-finite numbers arrive as their names. */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** `GET /api/info`. */
export interface Info {
  version: string;
  allowWrites: boolean;
  tokenRequired: boolean;
  plots: string[];
}

/** An item of `GET /api/studies`. */
export interface StudyItem {
  id: number;
  name: string;
  directions: string[];
  nTrials: number;
  counts: Counts;
  bestValue: number | null;
  bestNumber: number | null;
  lastActivity: string | null;
  version: number;
}

/** A distribution as stored. */
export interface DistributionJson {
  type: 'float' | 'int' | 'categorical';
  low?: number;
  high?: number;
  log?: boolean;
  step?: number | null;
  choices?: Array<string | number | boolean | null>;
}

/** `GET /api/studies/:id`. */
export interface StudyDetail extends StudyItem {
  metricNames: string[];
  params: Array<{ name: string; distribution: DistributionJson }>;
  userAttrs: Record<string, unknown>;
  plots: string[];
}

/** A trial table row. */
export interface TrialRow {
  number: number;
  state: string;
  values: JsonNumber[] | null;
  params: Record<string, unknown>;
  datetimeStart: string | null;
  datetimeComplete: string | null;
  durationMs: number | null;
  nIntermediate: number;
}

/** `GET /api/studies/:id/trials`. */
export interface TrialPage {
  version: number;
  total: number;
  offset: number;
  limit: number;
  trials: TrialRow[];
}

/** `GET /api/studies/:id/trials/:number`. */
export interface TrialDetail extends TrialRow {
  trialId: number;
  distributions: Record<string, DistributionJson>;
  intermediateValues: Array<[number, JsonNumber]>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  log: { path: string; text: string; truncated: boolean } | null;
}

/** A `study` server-sent event. */
export interface StudyEvent {
  version: number;
  nTrials: number;
  counts: Counts;
  bestValue: number | null;
  changed: number[];
  reset: boolean;
}

/** `GET /api/studies/:id/plots/:kind`. */
export interface PlotResultJson {
  kind: string;
  title: string;
  data: unknown;
  spec: Record<string, unknown>;
  meta: { nPoints: number; totalTrials: number; downsampled: boolean };
}
