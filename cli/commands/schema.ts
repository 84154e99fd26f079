import { writeFileSync } from 'node:fs';
import { definitionJsonSchema } from '../../core/definition/json-schema.ts';
import { parse } from '../args.ts';
import type { Command } from '../io.ts';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of definition files (for editors), or write it with --write FILE',
  usage: 'schema [--write FILE]',
  async run(argv, io) {
    const { values } = parse(argv, { write: { type: 'string' } });
    const text = JSON.stringify(definitionJsonSchema(), null, 2) + '\n';
    if (values.write) {
      writeFileSync(values.write, text);
      io.err(`wrote ${values.write}\n`);
    } else {
      io.out(text);
    }
    return 0;
  },
};
