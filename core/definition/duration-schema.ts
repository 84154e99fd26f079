import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * `300s`, `5m`, `1h` or plain seconds: the same rule as schema.ts's durationSchema, in a file of its own so
 * schemas that schema.ts imports can use it without an import cycle.
 */
export const durationSchema = z
  .union([z.number(), z.string()])
  .refine((v) => parseDuration(v) !== undefined, {
    error: (issue) => `invalid duration ${JSON.stringify(issue.input)}: use 300s, 5m, 1h or plain seconds`,
  })
  .describe('A duration: `300s`, `5m`, `1h`, `1d` or plain seconds');
