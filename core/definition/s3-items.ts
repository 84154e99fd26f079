/**
 * Where a large fan-out's items live in S3: one object holding them, read by the Distributed Map's
 * ItemReader (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html).
 * `json`: a JSON array; `jsonl`: one JSON value per line; `csv`: rows as objects keyed by the first row.
 */
export interface S3ItemSource {
  readonly source: 's3';
  readonly bucket: string;
  readonly key: string;
  readonly format: S3ItemFormat;
}

export type S3ItemFormat = 'json' | 'jsonl' | 'csv';
export const S3_ITEM_FORMATS = ['json', 'jsonl', 'csv'] as const satisfies readonly S3ItemFormat[];

/** Where the offline engine reads an S3 item source: `<data dir>/s3/<bucket>/<key>` (README, Pipelines). */
export const offlineItemsPath = (items: Pick<S3ItemSource, 'bucket' | 'key'>): string => `s3/${items.bucket}/${items.key}`;

const S3_URL = /^s3:\/\/([^/]+)\/(.+)$/;
/** S3 bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket/key`, split; undefined when the text is no S3 URL. */
export function parseS3Url(text: string): { bucket: string; key: string } | undefined {
  const match = S3_URL.exec(text);
  return match ? { bucket: match[1], key: match[2] } : undefined;
}

/** Why a bucket or key cannot name an object the state machine reads, or undefined. */
export function s3LocationProblem(bucket: string, key: string): string | undefined {
  if (bucket.includes('${') || key.includes('${')) return 'the bucket and key must be literal: the state machine\'s role may read that one object only, so it is known when the stack is built';
  if (!BUCKET.test(bucket)) return `"${bucket}" is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)`;
  if (!key || key.endsWith('/')) return `"${key}" names no object (a key, not a prefix)`;
  // The grant names the object in an IAM resource ARN, where * and ? are wildcards.
  if (/[*?]/.test(key)) return `the key "${key}" may not contain * or ? (the state machine's role is granted that one object, and IAM reads them as wildcards)`;
  if (key.split('/').some((part) => part === '..' || part === '.')) return `the key "${key}" may not contain "." or ".." segments`;
  return undefined;
}
