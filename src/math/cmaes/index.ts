/**
 * The CMA-ES update as pure functions over a JSON-serialisable state.
 * @module
 */
export {
  type CmaInit,
  type CmaState,
  cmaConstants,
  cmaShouldStop,
  createCmaState,
  defaultPopsize,
  type StopOptions,
  sampleCma,
  sampleCmaInBox,
  symmetricEigen,
  type TellOptions,
  tellCma,
} from './cmaes.js';
