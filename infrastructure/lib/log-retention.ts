import * as logs from 'aws-cdk-lib/aws-logs';

/** CloudWatch Logs accepts only certain retention periods; a typo in the settings fails at synth. */
export function retentionFor(days: number): logs.RetentionDays {
  const retention = Object.values(logs.RetentionDays).find((value) => value === days);
  if (retention === undefined) throw new Error(`CloudWatch Logs has no retention of ${days} days`);
  return retention as logs.RetentionDays;
}
