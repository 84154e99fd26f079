/** Where a diagnostic points: keys and array indexes from the document root. */
export type DefinitionPath = readonly (string | number)[];

export type Severity = 'error' | 'warning';

/**
 * One problem found in a definition. Every problem is reported, not the first one, and each names
 * the file, the path inside the definition and the line, so an editor or a person can jump to it.
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly path: DefinitionPath;
  /** Absolute or project-relative path of the definition file. */
  readonly file?: string;
  /** 1-based line of the value at `path`, when the source is known. */
  readonly line?: number;
}

/** `tasks[2].depends_on[0]` */
export function formatPath(path: DefinitionPath): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out || '(root)';
}

/** `✖ file.yaml:14 unknown dependency "chrage" (did you mean "charge"?) → at tasks[2].depends_on[0]` */
export function formatDiagnostic(d: Diagnostic): string {
  const mark = d.severity === 'error' ? '✖' : '⚠';
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''} ` : '';
  const line = !d.file && d.line ? ` (line ${d.line})` : '';
  return `${mark} ${where}${d.message} → at ${formatPath(d.path)}${line}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** The closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(value.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(value, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
