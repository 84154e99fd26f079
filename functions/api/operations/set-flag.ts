import { schedulingOf, type ApiDeps } from '../deps.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { setFlagBody } from '../schemas.ts';

/** `PUT /flags/{name}` `{ value }` → 200 `{ name, value, updatedAt }`; trigger conditions read it at fire time. */
export async function setFlag(deps: ApiDeps, name: string, body: unknown): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const { value } = parseRequest(setFlagBody, body ?? {}, 'request body');
  return { statusCode: 200, body: await scheduling.flags.setFlag(name, value) };
}
