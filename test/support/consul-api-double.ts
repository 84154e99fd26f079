import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Renders a fixture of HashiCorp's Consul API double (@hashicorp/consul-api-double) for one request.
 *
 * Its fixtures are JavaScript template literals that HashiCorp's api-double server evaluates with a few
 * names in scope: `range(n)`, `env(name, default)`, `location` (pathname, whose `slice(n)` drops the
 * first n path segments, and search, the query) and `fake` (faker.js). This evaluates the file the same
 * way, with the same names, except that `fake` answers deterministic values instead of faker's random
 * ones (the api-double server and faker are not dependencies of stepflow): every `fake.<group>.<name>(...)`
 * gives a stable value of the right kind (an IPv4 address for `ip`, a number within {min, max}, the first
 * choice of `randomize`, a word otherwise), so the rendered JSON has the double's shape and our reading of
 * it can be checked exactly.
 */
export function renderConsulDouble(path: string, query: Record<string, string>, env: Record<string, string>): unknown {
  const root = dirname(createRequire(import.meta.url).resolve('@hashicorp/consul-api-double/package.json'));
  // /v1/health/service/<name> → v1/health/service/_ (the double's catch-all fixture of that folder).
  const segments = path.split('/');
  const template = readFileSync(join(root, ...segments.slice(1, -1), '_'), 'utf8');
  const location = {
    pathname: { slice: (n: number) => segments.slice(n).join('/'), toString: () => path },
    search: query,
  };
  const scope = {
    range: (n: number | string) => Array.from({ length: Number(n) }, (_, i) => i),
    env: (name: string, fallback: unknown) => env[name] ?? fallback,
    location,
    fake: deterministicFake(),
  };
  const render = new Function(...Object.keys(scope), `return \`${template}\`;`) as (...args: unknown[]) => string;
  return JSON.parse(render(...Object.values(scope)));
}

/** faker's API as the fixtures call it, answering stable values. */
function deterministicFake(): unknown {
  let n = 0;
  const value = (group: string, name: string, args: unknown[]): unknown => {
    n++;
    if (name === 'ip') return `10.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
    if (name === 'ipv6') return `fd00::${n.toString(16)}`;
    if (name === 'number') {
      const range = (typeof args[0] === 'object' && args[0] !== null ? args[0] : { max: args[0] }) as { min?: number; max?: number };
      const min = range.min ?? 0;
      const max = range.max ?? 99_999;
      return min + (n * 7919) % (max - min + 1);
    }
    if (name === 'boolean') return n % 2 === 0;
    if (name === 'randomize') return (args[0] as unknown[])[0];
    if (name === 'protocol') return 'http';
    if (name === 'domainName') return `host-${n}.example.com`;
    return `${group}-${name}-${n}`;
  };
  return new Proxy({}, { get: (_, group: string) => new Proxy({}, { get: (__, name: string) => (...args: unknown[]) => value(group, name, args) }) });
}
