import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitionText as parseDefinition } from '../../../project/definition-files.ts';
import { compileWorkflow } from '../../../core/compiler/compile.ts';

const file = resolve('definitions/example.yaml');
const load = (text: string) => parseDefinition(text, file, 'example.yaml');
const problems = (text: string) => load(text).diagnostics.map((d) => ({ code: d.code, path: d.path.join('.'), line: d.line, severity: d.severity }));

// The specification's orchestration block, verbatim, with a workflow around it.
const SEED_ORCHESTRATION = `orchestration:
  service_discovery:
    type: "consul"
    refresh_interval: 30s
    health_check: true
  load_balancing:
    algorithm: "round_robin"
    health_check: true
    failover: true
  timeout:
    default: 30s
    max: 300s
  retry:
    max_attempts: 3
    backoff: "exponential"
`;

const WORKFLOW = `workflow:
  services:
    pricing:
      consul: { address: "http://127.0.0.1:8500" }
      circuit_breaker: { failure_rate: 0.5, minimum_calls: 4, window: 60s, open_for: 30s }
      fallback: pricing_cache
    pricing_cache:
      discovery: static
      instances: ["http://127.0.0.1:3001/notify"]
      load_balancing: weighted
  tasks:
    - name: quote
      type: service
      service: pricing
`;

describe('orchestration in definitions', () => {
  it('accepts the specification block as written and applies it as the defaults of every service', () => {
    const { definition, diagnostics } = load(WORKFLOW + SEED_ORCHESTRATION);
    expect(diagnostics).toEqual([]);
    expect(definition!.services.pricing).toMatchObject({
      timeoutSeconds: 30,
      orchestration: {
        discovery: 'consul', refreshSeconds: 30, algorithm: 'round_robin', failover: true, maxAttempts: 3, backoff: 'exponential', callBudgetSeconds: 300,
        consul: { address: 'http://127.0.0.1:8500', service: 'pricing' },
        circuitBreaker: { failureRate: 0.5, minimumCalls: 4, windowSeconds: 60, openForSeconds: 30, halfOpenCalls: 1 },
        fallback: 'pricing_cache',
      },
    });
    expect(definition!.services.pricing_cache.orchestration).toMatchObject({ discovery: 'static', algorithm: 'weighted', instances: ['http://127.0.0.1:3001/notify'] });
  });

  it('hands the invoker the fallback\'s settings and covers failovers and the fallback in the state timeout', () => {
    const { definition } = load(WORKFLOW + SEED_ORCHESTRATION);
    const plan = compileWorkflow(definition!);
    const state = plan.asl.States.quote as { Parameters: Record<string, unknown>; TimeoutSeconds: number };
    expect(state.Parameters.related).toEqual({ pricing_cache: definition!.services.pricing_cache });
    // pricing: 3 attempts × 30s; pricing_cache: 3 × 30s.
    expect(state.TimeoutSeconds).toBe(180);
    expect(plan.services.map((s) => s.name)).toEqual(['pricing', 'pricing_cache']);
  });

  it('reports an unknown fallback, a fallback loop, cloudmap without namespace and consul without address, with lines', () => {
    const text = `workflow:
  services:
    a:
      url: http://127.0.0.1:1/a
      fallback: b
    b:
      url: http://127.0.0.1:1/b
      fallback: a
    c:
      discovery: cloudmap
      fallback: nowhere
    d:
      discovery: consul
      consul: {}
    e:
      discovery: static
  tasks:
    - name: t
      type: service
      service: a
`;
    expect(problems(text)).toEqual(expect.arrayContaining([
      { code: 'missing_discovery_settings', path: 'workflow.services.c.discovery', line: 10, severity: 'error' },
      { code: 'unknown_service', path: 'workflow.services.c.fallback', line: 11, severity: 'error' },
      { code: 'missing_discovery_settings', path: 'workflow.services.d.consul', line: 14, severity: 'error' },
      { code: 'missing_instances', path: 'workflow.services.e.discovery', line: 16, severity: 'error' },
      { code: 'cycle', path: 'workflow.services.a.fallback', line: 5, severity: 'error' },
    ]));
  });

  it('reports unknown balancing algorithms and bad breaker values through the schema', () => {
    const text = `workflow:
  services:
    a:
      url: http://127.0.0.1:1/a
      load_balancing: fastest
      circuit_breaker: { failure_rate: 2 }
  tasks:
    - { name: t, type: service, service: a }
`;
    expect(problems(text).map((p) => [p.code, p.path, p.line])).toEqual([
      ['invalid_value', 'workflow.services.a.load_balancing', 5],
      ['too_big', 'workflow.services.a.circuit_breaker.failure_rate', 6],
    ]);
  });

  it('normalises an aggregating task and checks its quorum', () => {
    const base = (extra: string) => `workflow:
  services:
    a: { url: "http://127.0.0.1:1/a" }
    b: { url: "http://127.0.0.1:1/b" }
  tasks:
    - name: gather
      type: service
      services: [a, b]
${extra}`;
    const { definition } = load(base('      aggregate: quorum\n      quorum: 2\n'));
    expect(definition!.tasks[0]).toMatchObject({ service: 'a', aggregate: { services: ['a', 'b'], strategy: 'quorum', quorum: 2 } });
    const plan = compileWorkflow(definition!);
    expect((plan.asl.States.gather as { Parameters: Record<string, unknown> }).Parameters.aggregate).toEqual({ strategy: 'quorum', quorum: 2, services: ['a', 'b'] });
    expect(problems(base('      aggregate: quorum\n      quorum: 3\n'))).toEqual([{ code: 'value_out_of_range', path: 'workflow.tasks.0.quorum', line: 10, severity: 'error' }]);
    expect(problems(base('      aggregate: all\n      quorum: 1\n'))).toEqual([{ code: 'invalid_aggregation', path: 'workflow.tasks.0.quorum', line: 10, severity: 'error' }]);
  });

  it('takes an aggregating task\'s services from the input: compiled to a Parameters path, checked as a path with its line', () => {
    const base = (services: string, extra = '') => `workflow:
  services:
    a: { url: "http://127.0.0.1:1/a", timeout: 5s }
    b: { url: "http://127.0.0.1:1/b", timeout: 7s }
  tasks:
    - name: gather
      type: service
      services: ${services}
      aggregate: quorum
${extra}`;
    const { definition, diagnostics } = load(base('$.request.services'));
    expect(diagnostics).toEqual([]);
    expect(definition!.tasks[0].aggregate).toEqual({ services: [], servicesPath: '$.request.services', strategy: 'quorum', quorum: 0 });
    const plan = compileWorkflow(definition!);
    const state = plan.asl.States.gather as { Parameters: Record<string, unknown>; TimeoutSeconds: number };
    // Any declared service may be named: their settings go with the event, and the slowest sets the timeout.
    expect(state.Parameters.aggregate).toEqual({ strategy: 'quorum', 'services.$': '$$.Execution.Input.request.services', fromInput: true });
    expect(Object.keys(state.Parameters.related as object)).toEqual(['a', 'b']);
    const listed = compileWorkflow(load(base('[a, b]')).definition!).asl.States.gather as { TimeoutSeconds: number };
    expect(state.TimeoutSeconds).toBe(listed.TimeoutSeconds);
    expect(plan.services.map((s) => s.name)).toEqual(['a', 'b']);
    expect(problems(base('services'))).toEqual([{ code: 'invalid_value', path: 'workflow.tasks.0.services', line: 8, severity: 'error' }]);
    expect(problems(base('$.services[0]'))).toEqual([{ code: 'invalid_value', path: 'workflow.tasks.0.services', line: 8, severity: 'error' }]);
    expect(load(base('$.services', '      quorum: 2\n')).definition!.tasks[0].aggregate).toMatchObject({ servicesPath: '$.services', quorum: 2 });
  });

  it('leaves a service with only a url exactly as before (no orchestration)', () => {
    const { definition } = load(`workflow:
  services:
    a: { url: "http://127.0.0.1:1/a" }
  tasks:
    - { name: t, type: service, service: a }
`);
    expect(definition!.services.a.orchestration).toBeUndefined();
  });
});
