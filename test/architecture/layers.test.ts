import { createRequire } from 'node:module';
import { cruise, type IReporterOutput } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const rules = createRequire(import.meta.url)('../../.dependency-cruiser.cjs');
const LAYERS = ['core', 'functions', 'project', 'infra', 'local', 'cli', 'client'];

async function violations(): Promise<string[]> {
  const result: IReporterOutput = await cruise(LAYERS, { ruleSet: rules, ...rules.options, validate: true }, undefined, {
    tsConfig: { fileName: 'tsconfig.json' },
  });
  if (typeof result.output === 'string') throw new Error(result.output);
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('layers', () => {
  it('keeps every import one way, with no cycle at file level', async () => {
    // GIVEN the rules in .dependency-cruiser.cjs WHEN the project is cruised THEN nothing breaks them
    expect(await violations()).toEqual([]);
  });

  it('finds a violation when there is one', async () => {
    // The rule set is not vacuous: a core file importing a Lambda module is refused.
    const result = await cruise(['test/architecture/fixtures'], {
      ruleSet: { forbidden: [{ name: 'fixture-core-layer', severity: 'error', from: { path: 'fixtures/core' }, to: { path: 'fixtures/functions' } }] },
      validate: true,
      tsPreCompilationDeps: true,
    });
    if (typeof result.output === 'string') throw new Error(result.output);
    expect(result.output.summary.violations.map((v) => v.rule.name)).toEqual(['fixture-core-layer']);
  });
});
