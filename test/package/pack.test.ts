/**
 * The package as its users get it: `npm pack` (whose prepack step builds dist/) installed into a scratch
 * CDK app in a temporary folder. There `stepflow/infra` synthesizes a workflow (bundling a task handler
 * that imports `stepflow/task`, and stepflow's own service invoker from dist/), the app type-checks
 * against the published declarations, and the `stepflow` bin validates definitions.
 *
 * Installing reads the npm cache first (`--prefer-offline`); the registry is used for what is missing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const MINUTE = 60_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What an enclosing `npm test` tells its scripts about this package; npm in the scratch app must not see it. */
const ENCLOSING_SCRIPT = /^npm_(package_|lifecycle_|command$|config_local_prefix$)/i;

/**
 * Runs a command to its end. Children get the Node running the tests first on PATH, and the user's npm
 * configuration (cache, registry) but not what an enclosing `npm test` says about this package.
 */
function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !ENCLOSING_SCRIPT.test(key)));
  env.PATH = [dirname(process.execPath), env.PATH].join(delimiter);
  env.CDK_DISABLE_VERSION_CHECK = '1';
  env.CDK_DISABLE_CLI_TELEMETRY = '1';
  env.NO_COLOR = '1';
  return new Promise((done) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

async function succeed(command: string, args: readonly string[], cwd: string): Promise<Run> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

const DEFINITION = `workflow:
  name: hello
  services:
    notify: { url: "https://example.com/notify", timeout: 5s }
  tasks:
    - name: greet
      timeout: 30s
    - { name: tell, type: service, service: notify, depends_on: [greet] }
`;

const BROKEN_DEFINITION = `workflow:
  name: broken
  tasks:
    - name: greet
    - { name: again, handler: ../functions/tasks/greet.ts, depends_on: [gret] }
`;

const HANDLER = `import { defineTask } from 'stepflow/task';

export const handler = defineTask<{ name?: string }>(async ({ input }) => ({ greeting: \`hello \${input.name ?? 'world'}\` }));
`;

/** A CDK app as a user writes one; it prints what the test checks. */
const APP = `import { App, Stack } from 'aws-cdk-lib';
import { Workflow } from 'stepflow/infra';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'ScratchApp');
const workflow: Workflow = Workflow.fromDefinitionFile(stack, 'Hello', 'definitions/hello.yaml');
const assembly = app.synth();
const artifact = assembly.getStackByName(stack.stackName);
console.log(JSON.stringify({ stateMachineName: workflow.stateMachineName, template: artifact.template }));
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
  files: ['app.ts', 'functions/tasks/greet.ts'],
};

describe('the npm package', () => {
  let scratch: string;
  let app: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'stepflow-pack-'));
    // GIVEN the packed package (prepack runs `npm run build`)…
    await succeed('npm', ['pack', '--pack-destination', scratch, '--silent'], REPO);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack left no tarball in ${scratch}`);

    // …installed with the CDK versions this repository tests against into an app of one definition and one handler
    app = join(scratch, 'app');
    mkdirSync(join(app, 'definitions'), { recursive: true });
    mkdirSync(join(app, 'functions/tasks'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }, null, 2));
    writeFileSync(join(app, 'definitions/hello.yaml'), DEFINITION);
    writeFileSync(join(app, 'definitions/broken.yaml'), BROKEN_DEFINITION);
    writeFileSync(join(app, 'functions/tasks/greet.ts'), HANDLER);
    writeFileSync(join(app, 'app.ts'), APP);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    const devDependencies = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).devDependencies as Record<string, string>;
    await succeed(
      'npm',
      ['install', join(scratch, tarball), `aws-cdk-lib@${devDependencies['aws-cdk-lib']}`, `constructs@${devDependencies.constructs}`, '--prefer-offline', '--no-audit', '--no-fund'],
      app,
    );
  }, 10 * MINUTE);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('synthesizes a workflow in a CDK app through stepflow/infra, bundling its handlers', async () => {
    // WHEN the app is synthesized through the CDK API
    const { stdout } = await succeed('npx', ['--no-install', 'tsx', 'app.ts'], app);

    // THEN the template holds the state machine and one Lambda each for the task and the service invoker
    const synth = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      stateMachineName: string;
      template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    };
    const resources = Object.values(synth.template.Resources);
    const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function');
    const machines = resources.filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(1);
    expect(machines[0].Properties).toMatchObject({ StateMachineName: 'ScratchApp-hello', StateMachineType: 'STANDARD' });
    expect(synth.stateMachineName).toBe('ScratchApp-hello');
    expect(functions.map((r) => r.Properties.Runtime)).toEqual(['nodejs24.x', 'nodejs24.x']);
    // AND each function's code is an esbuild bundle in the cloud assembly (`asset.<hash>/index.mjs`)
    const bundles = functions.map((r) => {
      const key = (r.Properties.Code as { S3Key: string }).S3Key;
      return join(app, 'cdk.out', `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
    });
    for (const bundle of bundles) expect(existsSync(bundle), bundle).toBe(true);
    expect(bundles.some((b) => readFileSync(b, 'utf8').includes('hello '))).toBe(true);
  }, 5 * MINUTE);

  it('type-checks an app against the published declarations', async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', '.'], app);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 5 * MINUTE);

  it('validates a definition with `npx stepflow validate`', async () => {
    const valid = await run('npx', ['--no-install', 'stepflow', 'validate', 'definitions/hello.yaml'], app);
    expect(valid).toEqual({ code: 0, stdout: '', stderr: '✔ definitions/hello.yaml: workflow "hello", 2 tasks\n' });

    const broken = await run('npx', ['--no-install', 'stepflow', 'validate', 'definitions/broken.yaml'], app);
    expect(broken).toEqual({
      code: 1,
      stdout: '',
      stderr: '✖ definitions/broken.yaml:5 unknown dependency "gret" (did you mean "greet"?) → at workflow.tasks[1].depends_on[0]\n',
    });
  }, 2 * MINUTE);

  it('compiles a definition to ASL with `npx stepflow compile`', async () => {
    const result = await run('npx', ['--no-install', 'stepflow', 'compile', 'definitions/hello.yaml'], app);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ StartAt: 'greet', States: { greet: { Type: 'Task', Next: 'tell' }, tell: { Type: 'Task' } } });
  }, 2 * MINUTE);
});
