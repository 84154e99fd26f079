import { hasCallbacks } from '../../core/compiler/callbacks.ts';
import { hasApprovalTasks } from './approvals.ts';
import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { StepflowFunction } from './private/bundling.ts';
import { acknowledge, acknowledgeWildcardResource, REASONS } from './private/nag.ts';
import { projectFile } from './private/project.ts';
import { addErrorShapedResponses, requestModelSchema, type RequestBodyName } from './private/request-models.ts';
import { registryDelivery } from './private/registry.ts';
import { ServiceInvoker } from './service-invoker.ts';
import type { StateTable } from './state-table.ts';
import type { TriggerHub } from './trigger-hub.ts';
import type { Workflow } from './workflow.ts';
import { grantWorkflowsByNamePrefix } from './private/prefix-grants.ts';
import { addPoolRoutes, grantPoolApi, poolApiEnvironment, type PoolApiAccess } from './private/pool-api-access.ts';

export interface WorkflowApiProps {
  /**
   * Grant the workflows' run-time calls once on state machines named `<prefix>*` (shards) rather than per workflow.
   * @default - per workflow
   */
  readonly grantByNamePrefix?: string;
  /** Table the API reads executions from and writes them to. */
  readonly table: StateTable;
  /** Workflows the API can start, list, describe and cancel. */
  readonly workflows: readonly Workflow[];
  /**
   * Serve the trigger endpoints (`/schedules`, `/events`, `/event-rules`, `/flags/{name}`) over these
   * triggers' bus, schedule group, roles and dispatcher.
   * @default - no trigger endpoints
   */
  readonly triggers?: TriggerHub;
  /**
   * Serve the pool endpoints (`/pools/...`) over these pools' queues and event source mappings.
   * @default - no pool endpoints
   */
  readonly pools?: PoolApiAccess;
  /**
   * How callers authenticate. With IAM, callers sign requests with SigV4 and need `execute-api:Invoke`.
   * @default apigateway.AuthorizationType.IAM
   */
  readonly authorizationType?: apigateway.AuthorizationType;
  /**
   * Authorizer for `AuthorizationType.COGNITO` or `CUSTOM`.
   * @default - none
   */
  readonly authorizer?: apigateway.IAuthorizer;
  /**
   * Handler module of the API.
   * @default functions/api/handler.ts of the stepflow project
   */
  readonly entry?: string;
  /** @default 'handler' */
  readonly exportName?: string;
  /** @default 'prod' */
  readonly stageName?: string;
  /**
   * Steady-state requests per second of the stage.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /** @default 100 */
  readonly throttlingBurstLimit?: number;
  /**
   * Let this stack set the account-wide role API Gateway logs with (one per account and region; turn off
   * when another stack already does).
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * AWS WAFv2 web ACL to associate with the stage.
   * @default - none
   */
  readonly webAclArn?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - log groups encrypted by CloudWatch Logs itself */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The REST API (API Gateway v1) in front of the workflows: `/workflows`, `/workflows/{name}/executions`,
 * `/workflows/{name}/executions/{id}`, `/workflows/{name}/executions/{id}/cancel`, all proxied to one API
 * Lambda. IAM authorization by default, JSON access logs, X-Ray tracing, request validation, throttling.
 */
export class WorkflowApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly function: lambda.IFunction;
  readonly accessLogs: logs.LogGroup;
  /** The group API Gateway writes its execution logs to, made here so it has retention and the key. */
  readonly executionLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowApiProps) {
    super(scope, id);
    // The workflows are compiled into the bundle: a JSON registry in the environment outgrows Lambda's
    // 4 KB limit (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
    const registry = registryDelivery(this, props.workflows);
    const handler = new StepflowFunction(this, 'Handler', {
      entry: props.entry ?? projectFile('functions/api/handler.ts'),
      exportName: props.exportName,
      description: 'stepflow: REST API (executions, schedules, events, flags)',
      timeout: Duration.seconds(29),
      memorySize: 512,
      environment: {
        STEPFLOW_TABLE: props.table.tableName,
        ...registry.environment,
        ...props.triggers?.apiEnvironment,
        ...(props.pools?.pools.length ? poolApiEnvironment(this, props.pools) : {}),
      },
      define: registry.define,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      logEncryptionKey: props.logEncryptionKey,
    });
    acknowledge(handler.function, 'Serverless-LambdaDLQ', REASONS.synchronousLambda);
    this.function = handler.function;
    if (props.triggers) {
      // Schedules, fires and flags besides executions.
      props.table.grantReadWriteItems(handler.role);
      props.triggers.grantApi(handler.role);
    } else {
      props.table.grantManageExecutions(handler.role);
    }
    if (props.grantByNamePrefix !== undefined) grantWorkflowsByNamePrefix(handler.role, props.grantByNamePrefix, props.workflows);
    else this.grantExecutionAccess(handler, props.workflows);
    // POST /approvals/{id} decides a record (GetItem, UpdateItem); GET /approvals lists them (Query on byStatus).
    const approvals = props.workflows.some((w) => hasApprovalTasks(w.plan));
    if (approvals && !props.triggers) props.table.grantReadWriteItems(handler.role);
    // The pool routes: job records (GetItem, PutItem, UpdateItem), the lanes, their mappings and schedules.
    const pools = props.pools?.pools.length ? props.pools : undefined;
    if (pools) {
      if (!props.triggers && !approvals) props.table.grantReadWriteItems(handler.role);
      grantPoolApi(handler.role, pools, { schedulerGranted: props.triggers !== undefined && props.triggers === pools.scheduler });
    }

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
    });
    const authorizationType = props.authorizationType ?? apigateway.AuthorizationType.IAM;
    this.api = new apigateway.RestApi(this, 'Api', {
      description: 'stepflow workflows API',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: props.cloudWatchRole ?? true,
      defaultMethodOptions: { authorizationType, authorizer: props.authorizer },
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
      },
    });
    // API Gateway writes execution logs to a group it names and would create without retention or key:
    // created first, under that name (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
    this.executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${props.stageName ?? 'prod'}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
    });
    this.api.deploymentStage.node.addDependency(this.executionLogs);
    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'stepflow-parameters-and-body',
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    addErrorShapedResponses(this.api);
    const models = new Map<RequestBodyName, apigateway.Model>();
    const body = (name: RequestBodyName): Partial<apigateway.MethodOptions> => {
      let model = models.get(name);
      if (!model) {
        model = this.api.addModel(name, { contentType: 'application/json', modelName: name, schema: requestModelSchema(name) });
        models.set(name, model);
      }
      return { requestModels: { 'application/json': model } };
    };
    const integration = new apigateway.LambdaIntegration(handler.function, { proxy: true, allowTestInvoke: false });
    const method = (parameters: string[], extra: Partial<apigateway.MethodOptions> = {}): apigateway.MethodOptions => ({
      requestValidator: validator,
      requestParameters: Object.fromEntries(parameters.map((p) => [`method.request.path.${p}`, true])),
      ...extra,
    });

    const workflowsResource = this.api.root.addResource('workflows');
    workflowsResource.addMethod('GET', integration, method([]));
    const executions = workflowsResource.addResource('{name}').addResource('executions');
    executions.addMethod('GET', integration, method(['name']));
    executions.addMethod('POST', integration, method(['name'], body('StartExecutionBody')));
    const execution = executions.addResource('{id}');
    execution.addMethod('GET', integration, method(['name', 'id']));
    execution.addResource('cancel').addMethod('POST', integration, method(['name', 'id']));
    execution.addResource('redrive').addMethod('POST', integration, method(['name', 'id']));
    execution.addResource('history').addMethod('GET', integration, method(['name', 'id']));
    execution.addResource('logs').addMethod('GET', integration, method(['name', 'id']));

    if (approvals) {
      const approvalsResource = this.api.root.addResource('approvals');
      approvalsResource.addMethod('GET', integration, method([]));
      approvalsResource.addResource('{id}').addMethod('POST', integration, method(['id'], body('ApprovalDecisionBody')));
    }
    if (props.workflows.some((w) => hasCallbacks(w.plan))) {
      const token = this.api.root.addResource('callbacks').addResource('{token}');
      token.addMethod('POST', integration, method(['token'], body('CallbackAnswerBody')));
      token.addResource('heartbeat').addMethod('POST', integration, method(['token']));
    }
    // The service registry: instances registered at run time, health, breakers and call metrics.
    if (ServiceInvoker.isNeeded(props.workflows.map((w) => w.plan))) {
      const services = this.api.root.addResource('services');
      services.addMethod('GET', integration, method([]));
      const service = services.addResource('{name}');
      service.addMethod('GET', integration, method(['name']));
      const instance = service.addResource('instances').addResource('{id}');
      instance.addMethod('PUT', integration, method(['name', 'id'], body('RegisterInstanceBody')));
      instance.addMethod('DELETE', integration, method(['name', 'id']));
    }

    if (pools) addPoolRoutes(this.api.root, (resource, httpMethod, parameters, name) => resource.addMethod(httpMethod, integration, method(parameters, name ? body(name) : {})));

    if (props.triggers) {
      const schedules = this.api.root.addResource('schedules');
      schedules.addMethod('GET', integration, method([]));
      schedules.addMethod('POST', integration, method([], body('CreateScheduleBody')));
      const schedule = schedules.addResource('{id}');
      schedule.addMethod('GET', integration, method(['id']));
      schedule.addMethod('DELETE', integration, method(['id']));
      this.api.root.addResource('events').addMethod('POST', integration, method([], body('PublishEventBody')));
      const eventRules = this.api.root.addResource('event-rules');
      eventRules.addMethod('POST', integration, method([], body('CreateEventRuleBody')));
      eventRules.addMethod('GET', integration, method([]));
      eventRules.addResource('{name}').addMethod('DELETE', integration, method(['name']));
      const flag = this.api.root.addResource('flags').addResource('{name}');
      flag.addMethod('GET', integration, method(['name']));
      flag.addMethod('PUT', integration, method(['name'], body('SetFlagBody')));
    }

    if (props.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    } else {
      acknowledge(
        this.api.deploymentStage,
        'AwsSolutions-APIG3',
        'No web ACL is associated by default: which requests to block depends on who calls the API, and a WAF web ACL ' +
          'is billed per month, per rule and per request. The stage is throttled (throttlingRateLimit, throttlingBurstLimit); ' +
          'pass webAclArn to associate a web ACL.',
      );
    }
    if (authorizationType === apigateway.AuthorizationType.IAM) {
      for (const apiMethod of this.api.methods) {
        acknowledge(
          apiMethod,
          'AwsSolutions-COG4',
          'The method uses IAM (SigV4) authorization: callers are AWS principals allowed execute-api:Invoke, not Cognito users.',
        );
      }
    }
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      acknowledge(
        cloudWatchRole,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        "API Gateway's account-wide logging role (one per account and region, used by every REST API there). The AWS-managed " +
          'policy allows creating, describing, reading and writing log groups and streams on all log groups of the account; API ' +
          'Gateway creates its execution log groups under names of its own and AWS documents this policy for the role. Set ' +
          'apiCloudWatchRole: false where another stack or the account baseline owns the role.',
      );
    }
  }

  get url(): string {
    return this.api.url;
  }

  /**
   * What the API's code calls (functions/executions/sfn-execution-runner.ts, the history reader): StartExecution
   * on each state machine, StartSyncExecution on Express ones it awaits, StopExecution, RedriveExecution and
   * GetExecutionHistory on the executions of Standard ones (Express executions support none of them).
   */
  private grantExecutionAccess(handler: StepflowFunction, workflows: readonly Workflow[]): void {
    for (const workflow of workflows) {
      workflow.grantStartAsCalled(handler.role);
      // POST /callbacks/{token}: SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat on the state machine.
      if (hasCallbacks(workflow.plan) || hasApprovalTasks(workflow.plan)) workflow.reference.grantTaskResponse(handler.role);
      const executions = workflow.executionArnPattern;
      if (!executions) continue;
      handler.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['states:StopExecution', 'states:RedriveExecution', 'states:GetExecutionHistory'], resources: [executions] }),
      );
      acknowledgeWildcardResource(
        handler.role,
        executions,
        `Execution ARNs are only known at run time; the wildcard is limited to executions of the "${workflow.plan.name}" ` +
          'state machine (StopExecution/RedriveExecution/GetExecutionHistory).',
      );
    }
  }
}
