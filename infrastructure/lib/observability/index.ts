import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { encryptionKey } from '../encryption';
import type { EnvironmentSettings } from '../environments';

export interface ObservabilityProps {
  readonly settings: EnvironmentSettings['alarms'];
  readonly retainData: boolean;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly kafkaClusterName: string;
  /** Consumer groups (from the apps' schemas) and the topics they may read. */
  readonly consumerGroups: readonly string[];
  readonly topics: readonly string[];
}

/**
 * Alarms on what a patient-facing outage looks like from outside and inside: the share of 5xx
 * answers at the load balancer, p99 latency of the gateway, and Kafka consumer lag per consumer
 * group. All of them notify one KMS-encrypted SNS topic.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { settings } = props;
    const key = encryptionKey(this, 'Key', 'Alarm notifications', props.retainData);
    // CloudWatch publishes to the encrypted topic, so it must be able to use the key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: 'Patient management alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (settings.email) this.topic.addSubscription(new subscriptions.EmailSubscription(settings.email));
    const notify = new actions.SnsAction(this.topic);
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, alarmProps);
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.push(created);
      return created;
    };

    const period = Duration.minutes(1);
    const lb = props.loadBalancer.metrics;
    const requests = lb.requestCount({ period, statistic: 'Sum' });
    const targetErrors = lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' });
    const lbErrors = lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' });
    alarm('ServerErrorRate', {
      alarmDescription: `More than ${settings.serverErrorRatePercent}% of requests answered 5xx (load balancer or gateway) for 5 minutes`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * (FILL(targetErrors, 0) + FILL(lbErrors, 0)) / requests, 0)',
        usingMetrics: { requests, targetErrors, lbErrors },
        period,
        label: '5xx rate (%)',
      }),
      threshold: settings.serverErrorRatePercent,
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    alarm('GatewayLatencyP99', {
      alarmDescription: `p99 response time of the gateway above ${settings.p99LatencySeconds}s for 5 minutes`,
      metric: props.targetGroup.metrics.targetResponseTime({ period, statistic: 'p99' }),
      threshold: settings.p99LatencySeconds,
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    alarm('GatewayUnhealthyTargets', {
      alarmDescription: 'The load balancer sees an unhealthy gateway task',
      metric: props.targetGroup.metrics.unhealthyHostCount({ period, statistic: 'Maximum' }),
      threshold: 0,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // MSK publishes SumOffsetLag per consumer group and topic; one alarm per group takes the
    // worst topic (metric math allows no wildcard, topics a group does not read stay empty).
    for (const group of props.consumerGroups) {
      const lagByTopic = Object.fromEntries(
        props.topics.map((topic, index) => [
          `t${index}`,
          new cloudwatch.Metric({
            namespace: 'AWS/Kafka',
            metricName: 'SumOffsetLag',
            dimensionsMap: { 'Cluster Name': props.kafkaClusterName, 'Consumer Group': group, Topic: topic },
            period,
            statistic: 'Maximum',
          }),
        ]),
      );
      alarm(`ConsumerLag-${group}`, {
        alarmDescription: `Consumer group ${group} is more than ${settings.consumerLagMessages} messages behind on a topic for 10 minutes`,
        metric: new cloudwatch.MathExpression({
          expression: `MAX([${Object.keys(lagByTopic).map((name) => `FILL(${name}, 0)`).join(', ')}])`,
          usingMetrics: lagByTopic,
          period,
          label: `${group} lag`,
        }),
        threshold: settings.consumerLagMessages,
        evaluationPeriods: 10,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
