import type { AwsSettings } from '../config.ts';

/** An SDK client's region, endpoint (when given) and credentials (when given) from the settings. */
export function clientOptions(settings: AwsSettings, endpoint: string | undefined) {
  return {
    region: settings.region,
    ...(endpoint ? { endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
}
