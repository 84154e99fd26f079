/** Where the dispatcher's schedule drift goes in CloudWatch (alarmed on by infra/constructs/stack-monitoring.ts). */
export const SCHEDULE_DRIFT_METRIC = { namespace: 'stepflow', name: 'ScheduleDrift' } as const;

/**
 * One CloudWatch embedded-metric-format line: how late a fire started, per dispatcher function. CloudWatch
 * Logs turns it into the metric; nothing is sent elsewhere
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
export function scheduleDriftLine(latenessMs: number, functionName: string, now: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [{ Namespace: SCHEDULE_DRIFT_METRIC.namespace, Dimensions: [['FunctionName']], Metrics: [{ Name: SCHEDULE_DRIFT_METRIC.name, Unit: 'Milliseconds' }] }],
    },
    FunctionName: functionName,
    [SCHEDULE_DRIFT_METRIC.name]: Math.max(0, latenessMs),
  });
}
