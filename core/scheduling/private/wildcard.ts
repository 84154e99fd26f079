/**
 * EventBridge wildcard strings: `*` matches zero or more characters, `\*` a literal asterisk, `\\` a
 * literal backslash; any other escape and consecutive wildcards are refused
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching,
 * and the Event Ruler README that EventBridge's matcher follows).
 */

/** Why a wildcard string is refused, or undefined when it is valid. */
export function wildcardProblem(text: string): string | undefined {
  let previousWasWildcard = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') {
        return `wildcard "${text}" escapes ${next === undefined ? 'nothing' : `"${next}"`} at ${i}; only \\* and \\\\ are allowed`;
      }
      i++;
      previousWasWildcard = false;
    } else if (c === '*') {
      if (previousWasWildcard) return `wildcard "${text}" has consecutive wildcard characters at ${i - 1}`;
      previousWasWildcard = true;
    } else {
      previousWasWildcard = false;
    }
  }
  return undefined;
}

/** A whole-string regular expression for a valid wildcard string. */
export function wildcardToRegExp(text: string): RegExp {
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      source += escapeRegExp(text[i + 1]);
      i++;
    } else if (c === '*') {
      source += '.*';
    } else {
      source += escapeRegExp(c);
    }
  }
  // `s`: a wildcard also spans newlines; `u`: compare code points, not UTF-16 halves.
  return new RegExp(`^${source}$`, 'su');
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}
