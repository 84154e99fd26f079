import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile, readJsonLines, writeJsonFileAtomically, writeJsonLinesAtomically } from '../../../local/private/json-file.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'stepflow-json-'));

describe('JSON files', () => {
  it('writes a value into a folder it creates, leaving no temporary file, and reads it back', async () => {
    const file = join(folder(), 'nested', 'state.json');

    await writeJsonFileAtomically(file, { a: 1 }, { pretty: true });

    expect(await readJsonFile(file)).toEqual({ a: 1 });
    expect(readFileSync(file, 'utf8')).toBe('{\n  "a": 1\n}');
    expect(readdirSync(join(file, '..'))).toEqual(['state.json']);
  });

  it('answers undefined for a missing file, and throws for one that is not JSON', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'torn.json'), '{"a":');

    expect(await readJsonFile(join(dir, 'missing.json'))).toBeUndefined();
    await expect(readJsonFile(join(dir, 'torn.json'))).rejects.toThrow(SyntaxError);
  });

  it('keeps one whole value when the same file is written twice at once', async () => {
    const file = join(folder(), 'raced.json');

    await Promise.all([writeJsonFileAtomically(file, { n: 1, pad: 'x'.repeat(100_000) }), writeJsonFileAtomically(file, { n: 2 })]);

    expect([1, 2]).toContain((await readJsonFile<{ n: number }>(file))!.n);
    expect(readdirSync(join(file, '..'))).toEqual(['raced.json']);
  });

  it('leaves the previous file whole when a write fails', async () => {
    const dir = folder();
    const file = join(dir, 'kept.json');
    await writeJsonFileAtomically(file, { version: 1 });

    // GIVEN a value that cannot be written (a BigInt has no JSON form)
    await expect(writeJsonFileAtomically(file, { version: 2n })).rejects.toThrow(TypeError);

    expect(await readJsonFile(file)).toEqual({ version: 1 });
    expect(readdirSync(dir)).toEqual(['kept.json']);
  });

  it('writes and reads JSON Lines, one value a line', async () => {
    const file = join(folder(), 'queue.jsonl');

    await writeJsonLinesAtomically(file, [{ id: 1 }, { id: 2 }]);

    expect(readFileSync(file, 'utf8')).toBe('{"id":1}\n{"id":2}\n');
    expect(await readJsonLines(file)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await readJsonLines(join(file, '..', 'none.jsonl'))).toEqual([]);
  });
});
