/** Events and the case shape shared by the event-pattern tests. */

export const DOCS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide';

/** The EC2 event the user guide's examples are written against (eb-event-patterns.html). */
export const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** The Event Ruler README's sample event, used by the content-filtering examples. */
export const RULER_EVENT = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** An event with one field changed, the rest cloned. */
export function withDetail(detail: Record<string, unknown>, base: Record<string, unknown> = RULER_EVENT): Record<string, unknown> {
  return { ...structuredClone(base), detail };
}

export interface Case {
  readonly name: string;
  readonly doc: string;
  readonly pattern: Record<string, unknown> | string;
  readonly event: unknown;
  readonly matches: boolean;
}
