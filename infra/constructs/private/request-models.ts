import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { z } from 'zod';
import { createEventRuleBody, createScheduleBody, publishEventBody, setFlagBody, startExecutionBody } from '../../../functions/api/schemas.ts';
import { callbackAnswer } from '../../../functions/api/operations/answer-callback.ts';
import { approvalDecision } from '../../../functions/api/operations/decide-approval.ts';
import { registerInstanceBody } from '../../../functions/api/operations/service-instances.ts';
import { submitJobBody } from '../../../functions/api/operations/submit-pool-job.ts';
import { scalePoolBody } from '../../../functions/api/operations/pool-admin.ts';

/**
 * The API Gateway models of the request bodies, generated from the zod schemas the API handler parses with
 * (declared once, in functions/api/schemas.ts). API Gateway validates against JSON Schema draft 4
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html); what draft 4
 * cannot say (refinements such as "exactly one of cron, rate or at") the handler still checks.
 */
export const REQUEST_BODIES = {
  StartExecutionBody: startExecutionBody,
  CreateScheduleBody: createScheduleBody,
  PublishEventBody: publishEventBody,
  SetFlagBody: setFlagBody,
  CreateEventRuleBody: createEventRuleBody,
  CallbackAnswerBody: callbackAnswer,
  ApprovalDecisionBody: approvalDecision,
  RegisterInstanceBody: registerInstanceBody,
  SubmitJobBody: submitJobBody,
  ScalePoolBody: scalePoolBody,
} as const;

export type RequestBodyName = keyof typeof REQUEST_BODIES;

/** The draft-4 JSON Schema of one request body, as API Gateway takes it. */
export function requestModelSchema(name: RequestBodyName): apigateway.JsonSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(REQUEST_BODIES[name], { target: 'draft-4', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { schema: apigateway.JsonSchemaVersion.DRAFT4, ...(schema as object) } as apigateway.JsonSchema;
}

/**
 * A body API Gateway refuses gets the API's own error shape (`{ error: { code, message } }`, 400) rather
 * than API Gateway's `{ message }`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
export function addErrorShapedResponses(api: apigateway.RestApi): void {
  const shaped = (code: string) => ({
    'application/json': `{"error":{"code":"${code}","message":$context.error.messageString,"details":"$util.escapeJavaScript($context.error.validationErrorString)"}}`,
  });
  api.addGatewayResponse('BadRequestBody', { type: apigateway.ResponseType.BAD_REQUEST_BODY, statusCode: '400', templates: shaped('invalid_request') });
  api.addGatewayResponse('BadRequestParameters', { type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS, statusCode: '400', templates: shaped('invalid_request') });
}
