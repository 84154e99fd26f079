/**
 * Field groups shared by several state kinds, as the Amazon States Language defines them (JSONPath only:
 * the compiler emits nothing else and the offline engine runs nothing else).
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html#amazon-states-language-common-fields
 */

/**
 * A JSON object whose keys ending in `.$` hold a path or an intrinsic function, evaluated when the state runs
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html).
 */
export type PayloadTemplate = Readonly<Record<string, unknown>>;

/** What every state may carry. */
export interface StateBase {
  /** Human-readable description. */
  readonly Comment?: string;
}

/** Selecting the state's input and output (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html). */
export interface InputOutputFields {
  /** @default '$' (null discards the input) */
  readonly InputPath?: string | null;
  /** @default '$' (null outputs `{}`) */
  readonly OutputPath?: string | null;
}

/** Shaping the state's effective input and placing its result. */
export interface ResultFields {
  /** The state's effective input, built from a template. */
  readonly Parameters?: PayloadTemplate;
  /** Reshapes the raw result before ResultPath places it. */
  readonly ResultSelector?: PayloadTemplate;
  /** Where the result goes in the state input. @default '$' (the result replaces the input) */
  readonly ResultPath?: string | null;
}
