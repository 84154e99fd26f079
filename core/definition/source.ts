import { LineCounter, parseDocument, isMap, isSeq, type Document, type Node } from 'yaml';
import type { DefinitionPath } from './diagnostics.ts';
import { firstSyntaxError } from './yaml-syntax-error.ts';

/**
 * A parsed YAML or JSON document that remembers where each value came from, so diagnostics can name
 * the line. JSON is parsed by the same YAML 1.2 parser (JSON is a subset of it).
 */
export interface SourceDocument {
  readonly value: unknown;
  readonly syntaxErrors: readonly { message: string; line?: number }[];
  lineOf(path: DefinitionPath): number | undefined;
}

export function parseSource(text: string): SourceDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  // One mistake makes the parser report several errors after it: the first, at the line to fix, is enough.
  const first = firstSyntaxError(text, doc.errors);
  const syntaxErrors = first ? [first] : [];
  return {
    value: syntaxErrors.length ? undefined : doc.toJS({ maxAliasCount: 100 }),
    syntaxErrors,
    lineOf: (path) => lineOfPath(doc, lineCounter, path),
  };
}

/** The line of the deepest node that exists along `path` (a missing key points at its parent). */
function lineOfPath(doc: Document, lineCounter: LineCounter, path: DefinitionPath): number | undefined {
  let node: unknown = doc.contents;
  let line = lineAt(node, lineCounter);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      line = lineAt(pair.key, lineCounter) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      line = lineAt(node, lineCounter) ?? line;
    } else {
      break;
    }
  }
  return line;
}

function lineAt(node: unknown, lineCounter: LineCounter): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}
