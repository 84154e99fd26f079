import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

function badDefinition(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-cli-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'workflow:\n  tasks:\n    - name: a\n      depend_on: [b]\n');
  return file;
}

describe('stepflow validate', () => {
  it('exits 0 for valid definitions and prints warnings on stderr', async () => {
    const result = await cli('validate', 'definitions/seed-example.yaml', 'definitions/order-pipeline.yaml');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('⚠ definitions/seed-example.yaml:16 service "notification" is not declared');
    expect(result.stdout).toBe('');
  });

  it('exits 1 with one diagnostic a line naming file, line and path', async () => {
    const file = badDefinition();
    const result = await cli('validate', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`✖ ${file}:4 unknown key "depend_on" (did you mean "depends_on"?) → at workflow.tasks[0].depend_on`);
  });

  it('exits 2 when called without a file', async () => {
    expect((await cli('validate')).code).toBe(2);
  });
});

describe('stepflow compile and graph', () => {
  it('prints the ASL as JSON on stdout', async () => {
    const result = await cli('compile', 'definitions/sales-report.yaml');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ StartAt: 'fetch_sales', TimeoutSeconds: 900 });
  });

  it('prints the plan with --plan, and on stderr the strategy, its predicted makespan and transitions', async () => {
    const result = await cli('compile', 'definitions/sales-report.yaml', '--plan');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).strategy).toEqual({
      kind: 'nested',
      reason: 'nested states take 1.00× the ideal (at most 1.05)',
      makespanRatio: 1,
      transitions: 11,
      maxConcurrentTasks: 2,
    });
    expect(result.stderr).toBe(
      'strategy: nested (nested states take 1.00× the ideal (at most 1.05)); predicted makespan 1.00× the ideal, at most 2 tasks at once; 11 transitions per execution\n',
    );
  });

  it('prints a Mermaid flowchart with every dependency', async () => {
    const result = await cli('graph', 'definitions/resilient-import.yaml');
    expect(result.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(result.stdout).toContain('t_fetch_records --> t_store_primary');
    expect(result.stdout).toContain('t_store_primary -. on failure .-> t_store_backup');
  });
});

describe('stepflow run', () => {
  it('prints one JSON result with --json and exits 0 on success, progress on stderr', async () => {
    const result = await cli('run', 'definitions/resilient-import.yaml', '--input', '{"enrich": false, "primaryDown": true}', '--json');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.status).toBe('SUCCEEDED');
    expect(parsed.output.enrich_records).toEqual({ error: 'EnrichmentUnavailable', cause: 'the enrichment service is switched off for this import' });
    expect(parsed.output.store_backup).toEqual({ store: 'backup', stored: 2 });
    expect(result.stderr).toMatch(/ok store_backup\.for\.store_primary \(attempt 1, \d+ ms\)/);
  });

  it('exits 1 with the error name and message when the execution fails', async () => {
    const result = await cli('run', 'definitions/order-pipeline.yaml', '--input', '{"orderId": "o-1", "amount": 50000}', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ status: 'FAILED', error: 'NonRetriableError', cause: 'order o-1: amount 50000 exceeds the 10000 limit' });
  });

  it('exits 2 for input that breaks input_schema, for malformed JSON and for an invalid definition', async () => {
    expect((await cli('run', 'definitions/order-pipeline.yaml', '--input', '{"orderId": "o-1"}')).code).toBe(2);
    expect((await cli('run', 'definitions/order-pipeline.yaml', '--input', '{nope')).stderr).toContain('--input is not valid JSON');
    expect((await cli('run', badDefinition())).code).toBe(2);
  });
});

describe('stepflow help', () => {
  it('lists every command', async () => {
    const result = await cli('--help');
    for (const command of ['validate', 'compile', 'graph', 'run', 'dev', 'schema']) expect(result.stdout).toContain(`  ${command}`);
  });

  it('exits 2 on an unknown command', async () => {
    const result = await cli('deploy');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "deploy"');
  });

  it('runs as a real process through npm', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'cli/main.ts', 'compile', 'definitions/seed-example.yaml']);
    expect(JSON.parse(stdout).StartAt).toBe('data_processing');
  });
});

describe('the JSON Schema for editors', () => {
  it('is the one generated from the zod schema', async () => {
    const result = await cli('schema');
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync('definitions/stepflow.schema.json', 'utf8')));
  });
});
