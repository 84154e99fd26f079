import { Ajv, type ValidateFunction } from 'ajv';
import { BadRequest } from '../../core/errors.ts';

/** One schema error, as the API reports it. */
export interface SchemaProblem {
  /** JSON Pointer into the input, `''` for the input itself. */
  readonly path: string;
  readonly message: string;
}

/** Checks execution inputs against workflows' JSON Schemas, reporting every error (ajv `allErrors`). */
export class InputValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Throws BadRequest (`invalid_input`) listing every schema error. */
  check(workflow: string, schema: Record<string, unknown> | undefined, input: unknown): void {
    if (!schema) return;
    let validate = this.compiled.get(workflow);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(workflow, validate);
    }
    if (validate(input)) return;
    const details: SchemaProblem[] = (validate.errors ?? []).map((error) => ({
      path: error.instancePath,
      message: `${error.instancePath || 'input'} ${error.message ?? 'is invalid'}`,
    }));
    throw new BadRequest(`input does not match the input schema of workflow "${workflow}"`, { code: 'invalid_input', details });
  }
}
