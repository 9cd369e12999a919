/**
 * Small shared types of the ML toolkit.
 * @module
 */
import type { MetricRecord } from '../pruners/base.js';

/** What reporting and pruning need of a trial (a `Trial` has it). */
export interface PrunableTrial {
  readonly number: number;
  report(value: number | MetricRecord, step: number): Promise<void>;
  shouldPrune(): Promise<boolean>;
}
