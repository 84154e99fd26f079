import { NotFound } from '../../../core/errors.ts';
import { schedulingOf, type ApiDeps } from '../deps.ts';
import type { ApiResult } from '../response.ts';

/** `GET /flags/{name}` → `{ name, value, updatedAt }`; 404 for a flag never set. */
export async function getFlag(deps: ApiDeps, name: string): Promise<ApiResult> {
  const record = await schedulingOf(deps).flags.getFlagRecord(name);
  if (!record) throw new NotFound(`flag "${name}" is not set`, { code: 'unknown_flag' });
  return { statusCode: 200, body: record };
}
