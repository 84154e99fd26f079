import { StepflowError, type StepflowErrorOptions } from '../errors.ts';

/** Base of every error the scheduling libraries throw; `name` (and so `code`) is what callers match on. */
export class SchedulingError extends StepflowError {
  constructor(message: string, options?: StepflowErrorOptions) {
    super(message, options);
    this.name = 'SchedulingError';
  }
}

/** A problem in an event pattern or a schedule expression: where it is and what is wrong. */
export interface Problem {
  /** Machine-readable kind, stable across releases (e.g. `unknown_operator`). */
  readonly code: string;
  /** Keys and array indexes from the pattern root; empty for a schedule expression. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Thrown by `compileEventPattern` for a pattern EventBridge would refuse; carries every problem. */
export class InvalidEventPatternError extends SchedulingError {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(`invalid event pattern: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'InvalidEventPatternError';
    this.problems = problems;
  }
}

/** Thrown when a schedule expression or its time zone is unusable; carries every problem. */
export class InvalidScheduleError extends SchedulingError {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(`invalid schedule: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'InvalidScheduleError';
    this.problems = problems;
  }
}
