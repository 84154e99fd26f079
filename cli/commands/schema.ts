import { writeFileSync } from 'node:fs';
import { definitionJsonSchema } from '../../core/definition/json-schema.ts';
import { parse } from '../args.ts';
import type { CliIo } from '../io.ts';

/** `stepflow schema [--write FILE]`: resolves to the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { write: { type: 'string' } });
  const text = JSON.stringify(definitionJsonSchema(), null, 2) + '\n';
  if (values.write) {
    writeFileSync(values.write, text);
    io.err(`wrote ${values.write}\n`);
  } else {
    io.out(text);
  }
  return 0;
}
