import { parseArgs, type ParseArgsConfig } from 'node:util';
import { StepflowError } from '../core/errors.ts';

/** A wrong call: the message is printed with the command's usage and the exit code is 2. */
export class UsageError extends StepflowError {
  override readonly name = 'UsageError';
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
