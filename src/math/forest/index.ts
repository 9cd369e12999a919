/**
 * Regression trees and random forests on flat typed arrays, and the functional ANOVA of a forest
 * (hyperparameter importance).
 *
 * Notation: n samples, d features; X Float64Array (n × d) row-major, y Float64Array (n).
 *
 * @module
 */
export { type FanovaResult, FanovaScratch, forestMainEffects, treeMainEffects } from './fanova.js';
export { type RandomForestOptions, RandomForestRegressor } from './random-forest.js';
export { argsortColumns, RegressionTree, TreeBuilder, type TreeOptions } from './regression-tree.js';
