import * as events from 'aws-cdk-lib/aws-events';

/**
 * EventBridge target inputs passed through exactly as given: the L2 helpers (`fromObject`, `fromText`,
 * `EventField`) name their own InputPathsMap variables and rewrite templates, while the plan and the
 * dispatcher's payload builders (functions/scheduling/target-input.ts) already carry the final form.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
class ExactInput extends events.RuleTargetInput {
  constructor(private readonly properties: events.RuleTargetInputProperties) {
    super();
  }

  bind(): events.RuleTargetInputProperties {
    return this.properties;
  }
}

/** A constant JSON input. */
export function constantInput(value: unknown): events.RuleTargetInput {
  return new ExactInput({ input: JSON.stringify(value ?? {}) });
}

/** The part of the event at `path` (InputPath). */
export function pathInput(path: string): events.RuleTargetInput {
  return new ExactInput({ inputPath: path });
}

/** An InputTransformer, variables and template as given. */
export function transformerInput(inputPathsMap: Record<string, string>, inputTemplate: string): events.RuleTargetInput {
  return new ExactInput({ inputPathsMap: Object.keys(inputPathsMap).length > 0 ? inputPathsMap : undefined, inputTemplate });
}
