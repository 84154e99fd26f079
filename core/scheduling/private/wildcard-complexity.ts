/**
 * How hard a field's wildcard values are to match: the largest number of wildcard-pattern positions that one
 * input value can keep alive at once. EventBridge refuses a rule whose wildcards are "too complex" with
 * InvalidEventPatternException and asks to use fewer wildcards and fewer repeated character sequences after
 * a wildcard (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching,
 * "Wildcards and event pattern complexity"). The measure is the one Event Ruler's MachineComplexityEvaluator
 * computes ("how many wildcard rule prefixes match a theoretical worst-case event"); the user guide does not
 * publish the threshold, so WILDCARD_COMPLEXITY_LIMIT is this project's choice of it.
 */

/** The highest complexity a field's wildcards may reach. */
export const WILDCARD_COMPLEXITY_LIMIT = 100;

/** Subsets explored before the measure gives up and reports the limit (keeps validation bounded). */
const MAX_SUBSETS = 20_000;

interface CompiledWildcard {
  readonly literals: readonly string[];
  /** loops[i]: a `*` stands before literal i (or at the end when i === literals.length). */
  readonly loops: readonly boolean[];
}

function compile(text: string): CompiledWildcard {
  const literals: string[] = [];
  const loops: boolean[] = [false];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '*') {
      loops[literals.length] = true;
      continue;
    }
    literals.push(c === '\\' ? text[++i] : c);
    loops.push(false);
  }
  return { literals, loops };
}

/**
 * The complexity of the wildcard values one field is matched against, capped at `cap`: a subset
 * construction over the positions of every value, counting the positions alive after each character.
 */
export function wildcardComplexity(values: readonly string[], cap = WILDCARD_COMPLEXITY_LIMIT): number {
  const patterns = values.map(compile);
  const alphabet = new Set<string>(['\u0000']); // one character no pattern names stands for all of them
  for (const p of patterns) for (const c of p.literals) alphabet.add(c);
  // A position is pattern * STRIDE + index; a state is the sorted list of alive positions.
  const STRIDE = 1 << 16;
  const start = patterns.map((_, p) => p * STRIDE);
  const seen = new Set<string>([start.join(',')]);
  const queue: number[][] = [start];
  let max = 0;
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head];
    for (const c of alphabet) {
      const next = new Set<number>();
      for (const position of state) {
        const p = Math.floor(position / STRIDE);
        const i = position % STRIDE;
        const { literals, loops } = patterns[p];
        if (loops[i]) next.add(position);
        if (i < literals.length && literals[i] === c) next.add(position + 1);
      }
      if (next.size === 0) continue;
      const sorted = [...next].sort((a, b) => a - b);
      const key = sorted.join(',');
      if (seen.has(key)) continue;
      max = Math.max(max, sorted.length);
      if (max >= cap || seen.size >= MAX_SUBSETS) return cap;
      seen.add(key);
      queue.push(sorted);
    }
  }
  return max;
}
