import type { TaskDefinition } from '../../definition/model.ts';
import { transition, type AslState, type ChoiceState, type PassState } from '../../asl/index.ts';
import { stateNames } from './names.ts';

/** The states behind a task's Catch, by role. */
export function failureStateNames(stateName: string) {
  return {
    timedOut: stateNames.timedOut(stateName),
    caught: stateNames.caught(stateName),
    parsed: stateNames.parsed(stateName),
    cause: stateNames.cause(stateName),
    plain: stateNames.plain(stateName),
    bare: stateNames.bare(stateName),
  };
}

/**
 * Matches a Lambda error envelope `{"errorType": …, "errorMessage": …, "trace": […]}`: the Cause Step
 * Functions reports for an error thrown by a handler. Other errors (Lambda service errors such as
 * Lambda.EC2ThrottledException, States.Permissions, …) carry plain text, which States.StringToJson
 * cannot parse. StringMatches takes `*` as its only wildcard
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#amazon-states-language-choice-state-rules).
 */
export const ENVELOPE_PATTERN = '{*"errorMessage"*}';

/**
 * The states that record a caught failure as `{ error, cause }` under the task's name, then go to
 * `after` (the fallback task, or the task's next state). `replaces` says where the error output sits:
 * the whole state (the task was first in its scope, or a Map iteration) or `$.<task>`.
 * - States.Timeout: a fixed cause naming the timeout;
 * - a Cause holding a Lambda error envelope: its errorMessage;
 * - any other Cause: the text as it is; no Cause at all: the error alone.
 */
export function failureStates(task: TaskDefinition, stateName: string, replaces: boolean, timeoutSeconds: number, after?: string): Record<string, AslState> {
  const name = task.name;
  const at = replaces ? '$' : `$.${name}`;
  const names = failureStateNames(stateName);
  const recorded = (value: Record<string, unknown>, next: string | undefined): PassState =>
    replaces
      ? { Type: 'Pass', Parameters: { [name]: value }, ...transition(next) }
      : { Type: 'Pass', Parameters: value, ResultPath: `$.${name}`, ...transition(next) };
  const timedOut = { error: 'States.Timeout', cause: `task ${name} timed out after ${timeoutSeconds}s` };
  const cause = `${at}.Cause`;
  const present = [{ Variable: cause, IsPresent: true }, { Variable: cause, IsString: true }];
  const caught: ChoiceState = {
    Type: 'Choice',
    Choices: [
      { And: [...present, { Variable: cause, StringMatches: ENVELOPE_PATTERN }], Next: names.parsed },
      { And: present, Next: names.plain },
    ],
    Default: names.bare,
  };
  return {
    [names.timedOut]: {
      Type: 'Pass',
      ...(replaces ? { Result: { [name]: timedOut } } : { Result: timedOut, ResultPath: `$.${name}` }),
      ...transition(after),
    },
    [names.caught]: caught,
    [names.parsed]: recorded({ 'error.$': `${at}.Error`, 'cause.$': `States.StringToJson(${cause})` }, names.cause),
    [names.cause]: {
      Type: 'Pass',
      Parameters: { 'error.$': `$.${name}.error`, 'cause.$': `$.${name}.cause.errorMessage` },
      ResultPath: `$.${name}`,
      ...transition(after),
    },
    [names.plain]: recorded({ 'error.$': `${at}.Error`, 'cause.$': cause }, after),
    [names.bare]: recorded({ 'error.$': `${at}.Error` }, after),
  };
}
