/**
 * The EventBridge event pattern language: validation (the patterns EventBridge refuses) and a compiled
 * matcher (compile once, match many events).
 *
 * Sources that decide behaviour:
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html (structure, exact values)
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html (every operator)
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html (arrays in events)
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html (null, "")
 * - the Event Ruler library EventBridge's matcher is built on (github.com/aws/event-ruler), for details the
 *   user guide leaves open: which match expressions are refused, array consistency, numeric limits.
 *
 * The implementation is in event-pattern/: validate.ts (structure), compile.ts (matcher), operators.ts
 * (each operator's operand and test).
 */
export { compileEventPattern, matchesEventPattern, type EventMatcher, type EventPatternInput } from './event-pattern/compile.ts';
export { NUMERIC_LIMIT } from './event-pattern/operators.ts';
export { validateEventPattern, type PatternProblem } from './event-pattern/validate.ts';
