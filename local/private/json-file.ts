import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

let tempSeq = 0;

/** The parsed content of a JSON file, or undefined when there is no such file. */
export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  const text = await readIfExists(file);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

/** The values of a JSON Lines file, one a line; none when there is no such file. */
export async function readJsonLines<T>(file: string): Promise<T[]> {
  const text = (await readIfExists(file)) ?? '';
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
}

/**
 * Writes a value as JSON so that a crash leaves either the old file or the new one, never a torn one:
 * a temporary file next to it, flushed to disk, then renamed over it. Creates the folder.
 */
export async function writeJsonFileAtomically(file: string, value: unknown, options: { readonly pretty?: boolean } = {}): Promise<void> {
  await writeAtomically(file, JSON.stringify(value, null, options.pretty ? 2 : undefined));
}

/** As writeJsonFileAtomically, one value a line (JSON Lines). */
export async function writeJsonLinesAtomically(file: string, values: readonly unknown[]): Promise<void> {
  await writeAtomically(file, values.map((v) => JSON.stringify(v) + '\n').join(''));
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // Unique per write, so two writes of the same file at once never share a temporary file.
  const temp = `${file}.${process.pid}.${++tempSeq}.tmp`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
