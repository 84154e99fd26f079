/**
 * One YAML syntax error, at the line a person has to fix. The YAML parser reports where it gave up, and a
 * single mistake makes it give up several times (a missing `]` yields five errors on the lines after it);
 * only the first error is kept, and an unclosed bracket or quote is reported where it was opened.
 */

export interface YamlErrorLike {
  readonly code: string;
  readonly message: string;
  readonly pos: readonly [number, number];
  readonly linePos?: readonly { line: number; col: number }[];
}

export interface SyntaxProblem {
  readonly message: string;
  readonly line?: number;
}

const CLOSER: Record<string, string> = { '[': ']', '{': '}' };
const FLOW_NAME: Record<string, string> = { '[': 'flow sequence', '{': 'flow mapping' };

export function firstSyntaxError(text: string, errors: readonly YamlErrorLike[]): SyntaxProblem | undefined {
  const first = errors[0];
  if (!first) return undefined;
  const message = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const open = unclosedBefore(text, first.pos[0]);
  if (/end with an? [\]}]/.test(message) && open.flow) {
    const { char, offset } = open.flow;
    const at = position(text, offset);
    return { line: at.line, message: `"${char}" opened at line ${at.line}, column ${at.col} is never closed: the ${FLOW_NAME[char]} must end with "${CLOSER[char]}"` };
  }
  if (first.code === 'MISSING_CHAR' && /quote/i.test(message) && open.quote) {
    const { char, offset } = open.quote;
    const at = position(text, offset);
    return { line: at.line, message: `the ${char === '"' ? 'double' : 'single'}-quoted string opened at line ${at.line}, column ${at.col} has no closing ${char}` };
  }
  return { line: first.linePos?.[0]?.line, message };
}

interface Opener {
  readonly char: string;
  readonly offset: number;
}

/** The innermost bracket and the quote still open at `end`, by a light scan that knows quotes and comments. */
function unclosedBefore(text: string, end: number): { flow?: Opener; quote?: Opener } {
  const stack: Opener[] = [];
  let quote: Opener | undefined;
  for (let i = 0; i < end && i < text.length; i++) {
    const c = text[i];
    const before = i === 0 ? '\n' : text[i - 1];
    if (quote) {
      if (quote.char === '"' && c === '\\') i++;
      else if (c === quote.char) {
        if (c === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      }
      continue;
    }
    if (c === '#' && /\s/.test(before)) {
      while (i < end && text[i] !== '\n') i++;
      continue;
    }
    const startsToken = /[\s[{,:]/.test(before);
    if ((c === '"' || c === "'") && startsToken) quote = { char: c, offset: i };
    else if ((c === '[' || c === '{') && (startsToken || stack.length > 0)) stack.push({ char: c, offset: i });
    else if ((c === ']' || c === '}') && stack.length > 0 && CLOSER[stack.at(-1)!.char] === c) stack.pop();
  }
  return { flow: stack.at(-1), quote };
}

function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}
