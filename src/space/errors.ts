/**
 * Errors of declared search spaces. Both are `InvalidArgumentError`s (code `INVALID_ARGUMENT`),
 * so code that catches bad arguments catches them too.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';

/** A space cannot be built: bad bounds, an empty choice, a duplicated name, a bad condition… */
export class InvalidSpaceError extends InvalidArgumentError {}

/**
 * No parameters satisfying the space's constraints were found for a trial: the constraints are
 * (nearly) infeasible, or the values fixed for the trial (enqueued, a grid point) violate them.
 */
export class InfeasibleSpaceError extends InvalidArgumentError {}
