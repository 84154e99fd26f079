import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.ts';
import { ExecutionLogFiles } from '../../local/logs/execution-log-files.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), isTty: false }, out, err };
}

describe('stepflow logs', () => {
  it('prints the kept lines of one execution, found by its id alone, one readable line each', async () => {
    // GIVEN two lines kept for orders/o-1 and one line of another execution
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-logs-'));
    const files = new ExecutionLogFiles(join(dataDir, 'logs'));
    const arn = 'arn:aws:states:us-east-1:000000000000:execution:orders:o-1';
    files.append(JSON.stringify({ level: 'info', message: 'validating', executionArn: arn, task: 'validate', attempt: 0 }), 'info');
    files.append(JSON.stringify({ level: 'warn', message: 'slow carrier', executionArn: arn, task: 'ship', attempt: 1, carrier: 'ups' }), 'warn');
    files.append(JSON.stringify({ level: 'info', message: 'other', executionArn: `${arn}x`, task: 'validate', attempt: 0 }), 'info');
    await files.flush();

    // WHEN the command is run with the execution id
    const { io, out } = capture();
    const code = await runCli(['logs', 'o-1', '--data-dir', dataDir], io);

    // THEN it prints exactly that execution's lines
    expect(code).toBe(0);
    expect(out.join('')).toBe('orders/o-1 validate#1 INFO validating\norders/o-1 ship#2 WARN slow carrier {"carrier":"ups"}\n');
  });

  it('exits 1 when nothing was kept for the execution', async () => {
    const { io, err } = capture();
    expect(await runCli(['logs', 'never', '--data-dir', mkdtempSync(join(tmpdir(), 'stepflow-logs-'))], io)).toBe(1);
    expect(err.join('')).toContain('no log lines kept for execution "never"');
  });
});
