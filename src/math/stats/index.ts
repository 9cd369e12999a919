/**
 * Statistical tests for the pruners: the Wilcoxon signed-rank test (exact and normal
 * approximation).
 *
 * @module
 */
export {
  type WilcoxonAlternative,
  type WilcoxonOptions,
  type WilcoxonResult,
  type WilcoxonZeroMethod,
  wilcoxonSignedRank,
} from './wilcoxon.js';
