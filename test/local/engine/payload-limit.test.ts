import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';

const FILE = fileURLToPath(new URL('../fixtures/definitions/oversized.yaml', import.meta.url));

describe('the payload limit offline', () => {
  const { definition } = loadDefinitionText(`workflow:
  name: oversized
  tasks:
    - { name: small, handler: ../handlers/echo.ts }
    - { name: huge, handler: ../handlers/big.ts, depends_on: [small], on_failure: continue }
    - { name: after, handler: ../handlers/echo.ts, depends_on: [huge] }
`, FILE);
  const engine = new LocalEngine({ plans: [compileWorkflow(definition!)], retryIntervalMs: 0 });
  afterAll(() => engine.close());

  it('fails the execution on a 300 KB result with States.DataLimitExceeded, which on_failure: continue does not catch', async () => {
    // GIVEN a task returning 300 KB (over 262,144 bytes), allowed to fail
    // WHEN the workflow runs
    const done = await engine.wait((await engine.start('oversized', {})).executionArn);

    // THEN the execution fails, as on AWS: States.ALL neither retries nor catches the error
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(done.cause).toMatch(/^The state\/task 'huge' returned a result with a size exceeding the maximum number of bytes service limit/);
  });
});
