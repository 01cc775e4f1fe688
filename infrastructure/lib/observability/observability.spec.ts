import { Match, Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Topics } from '@pm/contracts';
import { environmentSettings } from '../environments';
import { constructTestStack } from '../testing/test-stack';
import { Observability } from '.';

const { stack, vpc } = constructTestStack('dev');
const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', { vpc, internetFacing: true });
const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'Targets', { vpc, port: 4004, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
loadBalancer.addListener('Http', { port: 80, defaultTargetGroups: [targetGroup] });
new Observability(stack, 'Observability', {
  settings: environmentSettings('dev', { alarmEmail: 'oncall@example.org' }).alarms,
  retainData: false,
  loadBalancer,
  targetGroup,
  kafkaClusterName: 'patient-management-dev',
  consumerGroups: ['analytics', 'appointment'],
  topics: Object.values(Topics),
});
const template = Template.fromStack(stack);
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);

describe('Observability', () => {
  it('notifies a KMS-encrypted SNS topic (SSL only), with the configured e-mail subscribed', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.org' });
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    expect(alarms.every((alarm) => JSON.stringify(alarm.AlarmActions) === JSON.stringify([{ Ref: topic }]))).toBe(true);
  });

  it('alarms on the 5xx rate at the load balancer', () => {
    const errorRate = alarms.find((alarm) => alarm.Metrics?.some((metric: { Expression?: string }) => metric.Expression?.includes('targetErrors')));
    expect(errorRate).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 5 });
    const metricNames = errorRate.Metrics.flatMap((metric: { MetricStat?: { Metric: { MetricName: string } } }) =>
      metric.MetricStat ? [metric.MetricStat.Metric.MetricName] : [],
    );
    expect(metricNames.sort()).toEqual(['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'RequestCount']);
  });

  it('alarms on p99 latency of the gateway', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Threshold: 2,
    });
  });

  it('alarms on Kafka consumer lag, one alarm per consumer group over every topic', () => {
    const lagAlarms = alarms.filter((alarm) =>
      alarm.Metrics?.some((metric: { MetricStat?: { Metric: { MetricName: string } } }) => metric.MetricStat?.Metric.MetricName === 'SumOffsetLag'),
    );
    expect(lagAlarms).toHaveLength(2);
    for (const [index, group] of ['analytics', 'appointment'].entries()) {
      const groups = lagAlarms[index].Metrics.flatMap((metric: { MetricStat?: { Metric: { Dimensions: { Name: string; Value: string }[] } } }) =>
        metric.MetricStat ? metric.MetricStat.Metric.Dimensions.filter((dimension) => dimension.Name === 'Consumer Group').map((d) => d.Value) : [],
      );
      expect(groups).toEqual(Object.values(Topics).map(() => group));
      expect(lagAlarms[index].Threshold).toBe(1000);
    }
  });
});
