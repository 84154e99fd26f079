import type { z } from 'zod';
import { BadRequest } from '../../core/errors.ts';

/** Parses with a zod schema; every issue becomes one entry of a BadRequest's details. */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  throw new BadRequest(`invalid ${what}`, { code: 'invalid_request', details });
}
