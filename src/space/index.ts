/**
 * Declared, typed search spaces: `space({...}, { constraints })` from `float`, `int`, `choice`
 * and `when`; `sampleSpace` on a trial; `paramsOf` for stored params; JSON round trip with the
 * CLI study file's schema; `enumerateSpace` for finite spaces.
 * @module
 */

export { type EnumerateOptions, enumerateSpace } from './enumerate-space.js';
export { InfeasibleSpaceError, InvalidSpaceError } from './errors.js';
export { spaceFromJson } from './from-json.js';
export {
  type BranchNode,
  type BranchOptions,
  type CheckShape,
  type ChoiceNode,
  type Conditions,
  choice,
  type FloatNode,
  type FloatNodeOptions,
  float,
  type InferNode,
  type InferShape,
  type IntNode,
  type IntNodeOptions,
  int,
  type PlainNode,
  type Shape,
  type SpaceNode,
  type WhenNode,
  when,
} from './nodes.js';
export { SPACE_REDRAWS_ATTR, sampleSpace } from './sample-space.js';
export {
  type Constraint,
  type FlatParam,
  flatParamsOf,
  type InferParams,
  isActive,
  isSpace,
  paramsOf,
  type RedrawStrategy,
  type Space,
  type SpaceOptions,
  satisfies,
  space,
} from './space.js';
export { spaceToJson } from './to-json.js';
