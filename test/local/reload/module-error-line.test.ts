import { describe, expect, it } from 'vitest';
import { moduleErrorLine } from '../../../local/reload/module-error-line.ts';

const FILE = '/tmp/project/handlers/step.ts';

describe('moduleErrorLine', () => {
  it('takes the line from an esbuild TransformFailure', () => {
    const error = Object.assign(new Error('Transform failed with 1 error:'), { errors: [{ text: 'Expected "}" but found ";"', location: { line: 2 } }] });
    expect(moduleErrorLine(FILE, error)).toBe(`${FILE}:2 Expected "}" but found ";"`);
  });

  it('reads the location from the message when the path carries the reload query', () => {
    const error = new Error(`Transform failed with 1 error:\n${FILE}?stepflow-reload=3:2:22: ERROR: Expected "}" but found ";"`);
    expect(moduleErrorLine(FILE, error)).toBe(`${FILE}:2 Expected "}" but found ";"`);
  });

  it('reads a coloured oxc parse report', () => {
    const error = new Error(`Transform failed with 1 error:\n\n\u001b[31m[PARSE_ERROR] \u001b[0mExpected \`,\` or \`}\` but found \`;\`\n   \u001b[38;5;246m╭─[\u001b[0m ../project/handlers/step.ts?stepflow-reload=2:2:26 ]\n`);
    expect(moduleErrorLine(FILE, error)).toBe(`${FILE}:2 Expected \`,\` or \`}\` but found \`;\``);
  });

  it('falls back to the file alone when nothing names a line', () => {
    expect(moduleErrorLine(FILE, new Error('boom'))).toBe(`${FILE} boom`);
  });
});
