import { z } from 'zod';
import { definitionFileSchema } from './schema.ts';

/** JSON Schema for editors (YAML language server, VS Code), generated from the zod schema itself. */
export function definitionJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(definitionFileSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://stepflow.dev/schema/definition.json',
    title: 'stepflow workflow definition',
  };
}
