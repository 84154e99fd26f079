import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimDataDir, DataDirInUse } from '../../local/data-dir-lock.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'stepflow-lock-'));

describe('claimDataDir', () => {
  it('GIVEN a folder held by another live process THEN it refuses, naming the folder and the process', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'dev.pid'), String(process.ppid));
    expect(() => claimDataDir(dir)).toThrow(DataDirInUse);
    expect(() => claimDataDir(dir)).toThrow(expect.objectContaining({ name: 'DataDirInUse', code: 'DataDirInUse' }));
    expect(() => claimDataDir(dir)).toThrow(`${dir} is in use by another stepflow dev stack (process ${process.ppid})`);
  });

  it('GIVEN a lock left by a process that died THEN it takes the folder, and releasing frees it', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'dev.pid'), '999999999');
    const release = claimDataDir(dir);
    expect(readFileSync(join(dir, 'dev.pid'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, 'dev.pid'))).toBe(false);
  });

  it('GIVEN the same process restarting its stack THEN it claims the folder again', () => {
    const dir = freshDir();
    claimDataDir(dir);
    expect(() => claimDataDir(dir)).not.toThrow();
  });
});
