import { describe, expect, it } from 'vitest';
import { ECHO, compile, stateOf } from '../support.ts';
import { runOffline, taskError } from '../run-offline.ts';

const CONTINUE = `workflow:
  tasks:
    - { name: a, handler: ${ECHO} }
    - { name: b, handler: ${ECHO}, depends_on: [a], on_failure: continue, timeout: 5s }
    - { name: c, handler: ${ECHO}, depends_on: [b] }
`;

describe('failureStates', () => {
  it('records a failed on_failure: continue task as { error, cause }, whatever its Cause', () => {
    const s = compile(CONTINUE).asl.States;
    expect(stateOf(s, 'b', 'Task').Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.b', Next: 'b.timed_out' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.b', Next: 'b.caught' },
    ]);
    const present = [{ Variable: '$.b.Cause', IsPresent: true }, { Variable: '$.b.Cause', IsString: true }];
    expect({
      'b.timed_out': s['b.timed_out'],
      'b.caught': s['b.caught'],
      'b.parsed': s['b.parsed'],
      'b.cause': s['b.cause'],
      'b.plain': s['b.plain'],
      'b.bare': s['b.bare'],
    }).toEqual({
      'b.timed_out': { Type: 'Pass', Result: { error: 'States.Timeout', cause: 'task b timed out after 5s' }, ResultPath: '$.b', Next: 'c' },
      // A Lambda error envelope is parsed for its errorMessage; any other text is kept as it is.
      'b.caught': {
        Type: 'Choice',
        Choices: [
          { And: [...present, { Variable: '$.b.Cause', StringMatches: '{*"errorMessage"*}' }], Next: 'b.parsed' },
          { And: present, Next: 'b.plain' },
        ],
        Default: 'b.bare',
      },
      'b.parsed': { Type: 'Pass', Parameters: { 'error.$': '$.b.Error', 'cause.$': 'States.StringToJson($.b.Cause)' }, ResultPath: '$.b', Next: 'b.cause' },
      'b.cause': { Type: 'Pass', Parameters: { 'error.$': '$.b.error', 'cause.$': '$.b.cause.errorMessage' }, ResultPath: '$.b', Next: 'c' },
      'b.plain': { Type: 'Pass', Parameters: { 'error.$': '$.b.Error', 'cause.$': '$.b.Cause' }, ResultPath: '$.b', Next: 'c' },
      'b.bare': { Type: 'Pass', Parameters: { 'error.$': '$.b.Error' }, ResultPath: '$.b', Next: 'c' },
    });
  });

  describe('offline, on the interpreter the local engine runs', () => {
    const asl = compile(CONTINUE).asl;
    const runWith = (fail: () => never) => runOffline(asl, { a: () => 'A', b: fail, c: () => 'C' });

    it('carries on after a plain-text Cause, keeping the text', async () => {
      // GIVEN a Lambda service error, whose Cause is not JSON
      const output = await runWith(() => {
        throw taskError('Lambda.EC2ThrottledException', 'Lambda was throttled by Amazon EC2 while setting up the VPC');
      });
      // THEN the execution succeeds, with the error recorded
      expect(output).toEqual({
        a: 'A',
        b: { error: 'Lambda.EC2ThrottledException', cause: 'Lambda was throttled by Amazon EC2 while setting up the VPC' },
        c: 'C',
      });
    });

    it('takes the errorMessage out of a Lambda error envelope', async () => {
      const envelope = JSON.stringify({ errorType: 'DeclinedError', errorMessage: 'card declined', trace: ['DeclinedError: card declined'] });
      const output = await runWith(() => {
        throw taskError('DeclinedError', envelope);
      });
      expect(output).toMatchObject({ b: { error: 'DeclinedError', cause: 'card declined' }, c: 'C' });
    });

    it('keeps JSON that is not an envelope, and text that only looks like one, as text', async () => {
      const output = await runWith(() => {
        throw taskError('States.Permissions', '{not json, but braces}');
      });
      expect(output).toMatchObject({ b: { error: 'States.Permissions', cause: '{not json, but braces}' } });
    });
  });
});
