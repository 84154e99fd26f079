/**
 * The layers, one way: core ← {functions, project} ← {infra, local} ← cli; client sees core's types only.
 * Checked by test/architecture/layers.test.ts (and `npx depcruise --config .dependency-cruiser.cjs core functions project infra local cli client`).
 */
const layer = (name, mayUse) => ({
  name: `${name}-layer`,
  comment: `${name}/ may use ${mayUse.length ? mayUse.join(', ') : 'nothing else of the project'} and its libraries`,
  severity: 'error',
  from: { path: `^${name}/` },
  to: { path: '^(core|functions|project|infra|local|cli|client|bench|test)/', pathNot: [`^${name}/`, ...mayUse.map((m) => `^${m}/`)] },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import cycle at file level', from: {}, to: { circular: true } },
    layer('core', []),
    layer('project', ['core']),
    layer('functions', ['core']),
    layer('infra', ['core', 'functions', 'project']),
    layer('local', ['core', 'functions', 'project']),
    layer('cli', ['core', 'functions', 'project', 'infra', 'local']),
    {
      name: 'core-is-pure',
      comment: 'core/ does no I/O and knows no AWS SDK, CDK or emulator',
      severity: 'error',
      from: { path: '^core/' },
      to: {
        path: [
          '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|worker_threads|dgram|tls|readline|os|process)$',
          '@aws-sdk/', 'aws-cdk-lib', '^constructs$', 'dynalite', 'fauxqs', 'aws-local-stepfunctions', '@middy/',
        ],
      },
    },
    {
      name: 'client-types-only',
      comment: 'client/ imports only types from core/, nothing else of the project',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(core|functions|project|infra|local|cli)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-core-only',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(functions|project|infra|local|cli)/' },
    },
    {
      name: 'cli-commands-lazy',
      comment: 'cli/main.ts imports a command module with import() when that command runs, so no command loads the libraries of another',
      severity: 'error',
      from: { path: '^cli/main\\.ts$' },
      to: { path: '^cli/commands/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'cli-quick-commands',
      comment: 'validate, compile, graph, schema and schedules start fast: they never reach CDK, the AWS SDK, dynalite or the offline stack',
      severity: 'error',
      from: { path: '^cli/commands/(validate|compile|graph|schema|schedules)\\.ts$' },
      to: {
        path: ['node_modules/(aws-cdk-lib|constructs|cdk-nag|esbuild|dynalite|aws-local-stepfunctions|@aws-sdk|@middy)/', '^(functions|infra|local)/'],
        reachable: true,
      },
    },
    {
      name: 'functions-one-way',
      comment: 'inside functions/: shared ← executions ← scheduling ← api; handlers of one kind never import another kind',
      severity: 'error',
      from: { path: '^functions/(shared|executions|task-runner)/' },
      to: { path: '^functions/(api|scheduling|recorder|service-invoker|tasks)/' },
    },
    {
      name: 'pool-worker-lean',
      comment: 'a pool worker (re)starts after every crash: it loads only the SDK clients it uses (functions/shared/clients/pool-worker-clients.ts), never all of functions/shared/clients.ts',
      severity: 'error',
      from: { path: '^(functions/pools/worker|local/pools/worker-child)\\.ts$' },
      to: { path: '^functions/shared/clients\\.ts$', reachable: true },
    },
    {
      name: 'scheduling-not-api',
      severity: 'error',
      from: { path: '^functions/(scheduling|recorder|service-invoker|tasks)/' },
      to: { path: '^functions/api/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist|cdk.out|scratch)/' },
  },
};
