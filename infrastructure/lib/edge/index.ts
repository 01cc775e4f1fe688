import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { acknowledge } from '../compliance';
import { Construct } from 'constructs';
import type { EnvironmentSettings } from '../environments';
import { retentionFor } from '../log-retention';

export interface EdgeProps {
  readonly vpc: ec2.IVpc;
  readonly settings: EnvironmentSettings['edge'];
  readonly retainData: boolean;
  readonly environmentName: string;
  readonly accessLogRetentionDays: number;
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
  /** The one service the internet may reach, and the container port it listens on. */
  readonly publicService: ecs.FargateService;
  readonly containerName: string;
  readonly containerPort: number;
}

/**
 * The only way in from the internet: one internet-facing ALB in the public subnets forwarding to
 * the gateway's tasks and nothing else. HTTPS (TLS 1.2+) with an HTTP->HTTPS redirect when a
 * certificate is configured; plain HTTP otherwise (dev, LocalStack). Access logs go to an
 * encrypted, versioned, private S3 bucket; optional AWS WAF with AWS managed rules.
 */
export class Edge extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly accessLogs: s3.Bucket;
  readonly https: boolean;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { settings } = props;
    this.https = settings.certificateArn !== undefined;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // ALB access logs support SSE-S3 only (not SSE-KMS).
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        { expiration: Duration.days(props.accessLogRetentionDays), noncurrentVersionExpiration: Duration.days(7) },
      ],
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
      deletionProtection: settings.deletionProtection,
      idleTimeout: Duration.seconds(60),
    });
    this.loadBalancer.logAccessLogs(this.accessLogs, 'alb');

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Gateway', {
      vpc: props.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: props.containerPort,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        // Ready = its own dependencies answer; a gateway that cannot reach Redis gets no traffic.
        path: '/health/ready',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      targets: [
        props.publicService.loadBalancerTarget({ containerName: props.containerName, containerPort: props.containerPort }),
      ],
    });

    if (!this.https && settings.requireCertificate) {
      Annotations.of(this).addWarningV2(
        'patient-management:http-only',
        `${props.environmentName} serves patient data and needs HTTPS: deploy with -c certificateArn=<ACM certificate ARN> (and --strict).`,
      );
    }
    if (this.https) {
      this.loadBalancer.addListener('Https', {
        protocol: elbv2.ApplicationProtocol.HTTPS,
        port: 443,
        certificates: [acm.Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn!)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultTargetGroups: [this.targetGroup],
      });
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    } else {
      this.loadBalancer.addListener('Http', {
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: 80,
        defaultTargetGroups: [this.targetGroup],
      });
    }

    if (settings.waf) {
      const acl = new wafv2.CfnWebACL(this, 'Firewall', {
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'patient-management', sampledRequestsEnabled: true },
        rules: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'].map((name, priority) => ({
          name,
          priority,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
        })),
      });
      new wafv2.CfnWebACLAssociation(this, 'FirewallAssociation', {
        resourceArn: this.loadBalancer.loadBalancerArn,
        webAclArn: acl.attrArn,
      });
      // WAF only logs to groups named aws-waf-logs-*; tokens and cookies are redacted.
      const firewallLogs = new logs.LogGroup(this, 'FirewallLogs', {
        logGroupName: `aws-waf-logs-patient-management-${props.environmentName}`,
        retention: retentionFor(props.logRetentionDays),
        encryptionKey: props.logKey,
        removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      new wafv2.CfnLoggingConfiguration(this, 'FirewallLogging', {
        resourceArn: acl.attrArn,
        logDestinationConfigs: [
          Stack.of(this).formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: firewallLogs.logGroupName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
        redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
      });
    }

    acknowledge(
      this.loadBalancer,
      [
        {
          id: 'AwsSolutions-EC23',
          reason: 'The internet-facing load balancer is the public entry point: its listener port is open to the world by design; it forwards only to the gateway.',
        },
        ...(this.https
          ? []
          : [
              {
                id: 'HIPAA.Security-ALBHttpToHttpsRedirection',
                reason:
                  'No certificate configured: HTTP only (dev/LocalStack hold no patient data; for prod, synth warns and a --strict deploy fails). With a certificateArn, HTTP redirects to HTTPS.',
              },
              {
                id: 'HIPAA.Security-ELBv2ACMCertificateRequired',
                reason:
                  'No certificate configured: HTTP only (dev/LocalStack hold no patient data; for prod, synth warns and a --strict deploy fails). Set certificateArn to serve HTTPS.',
              },
            ]),
        ...(settings.deletionProtection
          ? []
          : [
              {
                id: 'HIPAA.Security-ELBDeletionProtectionEnabled',
                reason: 'Non-production environments are torn down and recreated; production has deletion protection.',
              },
            ]),
      ],
    );
    acknowledge(
      this.accessLogs,
      [
        {
          id: 'AwsSolutions-S1',
          reason: 'This bucket receives the load balancer access logs; logging access to it into another bucket would only move the question one bucket further.',
        },
        {
          id: 'HIPAA.Security-S3BucketLoggingEnabled',
          reason: 'Same as AwsSolutions-S1: this is the access-log bucket.',
        },
        {
          id: 'HIPAA.Security-S3DefaultEncryptionKMS',
          reason: 'Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3, not SSE-KMS.',
        },
        {
          id: 'HIPAA.Security-S3BucketReplicationEnabled',
          reason: 'Access logs are operational data kept for a limited time; cross-region replication would double their cost without protecting patient data.',
        },
      ],
    );
  }
}
