import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface SigV4SignerProps {
  readonly region: string;
  /** @default the SDK's default chain (env, shared config, SSO, instance/container roles) */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface OutgoingRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * Signs requests for API Gateway with IAM authorization: Signature Version 4, service `execute-api`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html).
 */
export function sigV4Signer(props: SigV4SignerProps): (request: OutgoingRequest) => Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: props.region,
    credentials: props.credentials ?? fromNodeProviderChain(),
    sha256: Sha256,
  });
  return async (request) => {
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of request.url.searchParams) {
      const previous = query[key];
      query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    const signed = await signer.sign(
      new HttpRequest({
        method: request.method,
        protocol: request.url.protocol,
        hostname: request.url.hostname,
        port: request.url.port ? Number(request.url.port) : undefined,
        path: request.url.pathname,
        query,
        headers: { ...request.headers, host: request.url.host },
        body: request.body,
      }),
    );
    // fetch sets Host itself from the URL (the same value that was signed).
    const { host: _host, ...headers } = signed.headers;
    return headers;
  };
}

/** `abc123.execute-api.eu-west-1.amazonaws.com` → `eu-west-1`. */
export function regionOfApiHost(hostname: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(hostname)?.[1];
}
