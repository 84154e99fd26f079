import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { DEFINITION_EXTENSIONS, definitionFiles } from '../project/load-project.ts';
import { UsageError } from './args.ts';

/** The definition files a command line names, and the named files that are not definitions. */
export interface DefinitionPaths {
  readonly files: string[];
  /** Files named one by one that are not definition files, with why. */
  readonly skipped: { file: string; reason: string }[];
}

const GLOB_CHARS = /[*?[]/;

/**
 * Expands files, folders and globs (`definitions`, `definitions/*.yaml`, `**\/*.yml`) into definition files:
 * a folder gives its .yaml, .yml and .json files, JSON Schema files excepted; a glob keeps what it matches of
 * those; a JSON file that is not a definition (no top-level `workflow`) is skipped.
 */
export function expandDefinitionPaths(args: readonly string[]): DefinitionPaths {
  const files: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const arg of args) {
    if (GLOB_CHARS.test(arg)) {
      const matched = glob(arg).filter(isDefinitionName).filter(looksLikeDefinition);
      if (matched.length === 0) throw new UsageError(`no definition files match ${arg}`);
      files.push(...matched);
      continue;
    }
    let isDirectory = false;
    try {
      isDirectory = statSync(arg).isDirectory();
    } catch {
      files.push(arg); // a missing file is reported by the loader, with its name
      continue;
    }
    if (isDirectory) {
      const inFolder = definitionFiles(arg).filter(looksLikeDefinition);
      if (inFolder.length === 0) throw new UsageError(`no definition files in ${arg}`);
      files.push(...inFolder);
    } else if (arg.endsWith('.schema.json')) {
      skipped.push({ file: arg, reason: 'a JSON Schema file, not a definition' });
    } else if (!isDefinitionName(arg)) {
      skipped.push({ file: arg, reason: `not a definition file (${DEFINITION_EXTENSIONS.join(', ')})` });
    } else if (!looksLikeDefinition(arg)) {
      skipped.push({ file: arg, reason: 'a JSON file without a top-level "workflow"' });
    } else {
      files.push(arg);
    }
  }
  return { files: [...new Set(files)], skipped };
}

function isDefinitionName(file: string): boolean {
  return DEFINITION_EXTENSIONS.includes(extname(file)) && !file.endsWith('.schema.json');
}

/** YAML is always taken (its errors are worth reporting); JSON only when it holds a workflow. */
function looksLikeDefinition(file: string): boolean {
  if (extname(file) !== '.json') return true;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && 'workflow' in value;
  } catch {
    return true; // broken JSON is reported by the loader
  }
}

/** Files under the pattern's fixed leading folders that match it (`*`, `?`, `**`), sorted. */
function glob(pattern: string): string[] {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  while (parts.length > 1 && !GLOB_CHARS.test(parts[0])) fixed.push(parts.shift()!);
  const base = fixed.length ? fixed.join(sep) : '.';
  const re = new RegExp(`^${parts.map(segmentSource).join('/').replace(/\(\?:\.\*\/\)\?\//g, '(?:.*/)?')}$`);
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (re.test(relative(base, full).split(sep).join('/'))) out.push(fixed.length ? full : relative('.', full));
    }
  };
  walk(base);
  return out.sort();
}

function segmentSource(segment: string): string {
  if (segment === '**') return '(?:.*/)?';
  let source = '';
  for (const c of segment) {
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[\\^$.+()|{}[\]]/g, '\\$&');
  }
  return source;
}
