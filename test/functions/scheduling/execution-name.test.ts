import { describe, expect, it } from 'vitest';
import { fireExecutionName } from '../../../functions/scheduling/execution-name.ts';

describe('fireExecutionName', () => {
  const time = new Date('2025-01-02T03:04:05.000Z');

  it('GIVEN the same schedule and time THEN the name is the same, readable and valid for Step Functions', () => {
    const name = fireExecutionName('daily_backup.nightly', time);
    expect(name).toBe(fireExecutionName('daily_backup.nightly', new Date(time.getTime())));
    expect(name).toMatch(/^daily_backup-nightly-20250102T030405Z-[0-9a-f]{10}$/);
  });

  it('GIVEN another time, schedule or event THEN the name differs', () => {
    const name = fireExecutionName('daily_backup.nightly', time);
    expect(fireExecutionName('daily_backup.nightly', new Date('2025-01-02T03:04:06.000Z'))).not.toBe(name);
    expect(fireExecutionName('daily_backup-nightly', time)).not.toBe(name);
    expect(fireExecutionName('daily_backup.nightly', time, 'e-1')).not.toBe(fireExecutionName('daily_backup.nightly', time, 'e-2'));
  });

  it('GIVEN a long id THEN the name stays within 80 characters of [A-Za-z0-9_-]', () => {
    expect(fireExecutionName(`${'w'.repeat(80)}.${'t'.repeat(64)}`, time)).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });
});
