import { Duration, Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeStarOnlyActions, REASONS } from './nag.ts';
import { BUNDLING_ROOT } from './project.ts';

/** Lets CommonJS dependencies call `require` inside the ESM bundle. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __stepflowCreateRequire } from 'node:module'; const require = __stepflowCreateRequire(import.meta.url);";

/** Modules the nodejs24.x runtime provides: never bundled. */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*'];

/**
 * esbuild settings of every stepflow Lambda; `bench/bundle.ts` builds with the same settings so its
 * figures describe what is deployed.
 */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  externalModules: RUNTIME_PROVIDED_MODULES,
};

export interface StepflowFunctionProps {
  /** Absolute path of the handler module. */
  readonly entry: string;
  /** @default 'handler' */
  readonly exportName?: string;
  readonly description?: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  /** @default {} */
  readonly environment?: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  /** @default - log group encrypted by CloudWatch Logs itself */
  readonly logEncryptionKey?: kms.IKey;
  /** @default - Lambda's 512 MB */
  readonly ephemeralStorageMb?: number;
  /** Dead-letter queue for asynchronous invocations. @default - none */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Compile-time constants for esbuild (`--define`): expression → JSON text (see `private/registry.ts`).
   * @default {}
   */
  readonly define?: Record<string, string>;
}

/**
 * One stepflow Lambda: NodejsFunction (nodejs24.x, arm64, ESM, minified, source maps, local esbuild),
 * its own log group with retention, X-Ray tracing, and a role that may write only to that log group
 * (no AWSLambdaBasicExecutionRole, whose logs:* grant covers every log group of the account).
 */
export class StepflowFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: StepflowFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.logEncryptionKey,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: props.exportName ?? 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      ephemeralStorageSize: props.ephemeralStorageMb ? Size.mebibytes(props.ephemeralStorageMb) : undefined,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      deadLetterQueue: props.deadLetterQueue,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      ...BUNDLING_ROOT,
      bundling: props.define ? { ...BUNDLING, define: { ...BUNDLING.define, ...props.define } } : BUNDLING,
    });
    acknowledgeStarOnlyActions(this.role, REASONS.xray);
  }
}
