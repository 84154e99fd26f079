import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StepflowError } from '../core/errors.ts';

/** The data folder is already used by a running dev stack. */
export class DataDirInUse extends StepflowError {
  override readonly name = 'DataDirInUse';
}

/**
 * Claims a data folder for one dev stack: its DynamoDB files take a LevelDB lock that a second process
 * would hit as an uncaught "Database is closed". Returns the release function.
 */
export function claimDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'dev.pid');
  const holder = readHolder(lockFile);
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    throw new DataDirInUse(`${dataDir} is in use by another stepflow dev stack (process ${holder}); stop it, or give this one another --data-dir`);
  }
  writeFileSync(lockFile, String(process.pid));
  return () => {
    if (readHolder(lockFile) === process.pid) rmSync(lockFile, { force: true });
  };
}

function readHolder(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
