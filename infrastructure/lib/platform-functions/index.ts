import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CustomResource, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledge } from '../compliance';
import { Construct } from 'constructs';
import { retentionFor } from '../log-retention';

/** The repository root, found from here so this works from the sources (jest) and from dist/. */
export const REPOSITORY_ROOT = findRepositoryRoot(__dirname);
const HANDLERS = join(REPOSITORY_ROOT, 'infrastructure', 'lib', 'platform-functions', 'handlers');

function findRepositoryRoot(start: string): string {
  for (let directory = start; directory !== dirname(directory); directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'patient-management') {
      return directory;
    }
  }
  throw new Error(`Cannot find the repository root above ${start}`);
}

/** Copies a package and its runtime dependencies (flat) from the repository's node_modules. */
function copyPackage(name: string, into: string, copied: Set<string>): void {
  if (copied.has(name)) return;
  const source = join(REPOSITORY_ROOT, 'node_modules', name);
  if (!existsSync(join(source, 'package.json'))) return; // an optional dependency not installed here
  copied.add(name);
  cpSync(source, join(into, 'node_modules', name), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
    copyPackage(dependency, into, copied);
  }
}

/**
 * The handlers plus `pg` (the AWS SDK is part of the Lambda runtime). Bundled by copying files
 * from this checkout, so synth needs neither Docker nor network; the Docker image is only the
 * fallback CDK requires to be named.
 */
const handlersCode = () =>
  lambda.Code.fromAsset(HANDLERS, {
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
      local: {
        tryBundle(outputDirectory: string) {
          mkdirSync(outputDirectory, { recursive: true });
          cpSync(HANDLERS, outputDirectory, { recursive: true });
          copyPackage('pg', outputDirectory, new Set());
          return true;
        },
      },
    },
  });

export type PlatformHandler = 'postgres-databases' | 'kafka-bootstrap-brokers' | 'auth-signing-key';

export interface PlatformFunctionProps {
  readonly handler: PlatformHandler;
  readonly description: string;
  readonly vpc: ec2.IVpc;
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

/**
 * A Lambda function behind one custom resource type: deploy-time chores CloudFormation cannot do
 * (create databases, read MSK's broker list, generate a signing key). Runs in the VPC's private
 * subnets with its own security group and a role that the caller grants exactly what it needs.
 */
export class PlatformFunction extends Construct {
  readonly function: lambda.Function;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.handler} custom resource function`,
      allowAllOutbound: true,
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: retentionFor(props.logRetentionDays),
      encryptionKey: props.logKey,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_24_X,
      code: handlersCode(),
      handler: `${props.handler}.handler`,
      description: props.description,
      timeout: Duration.minutes(2),
      memorySize: 256,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      logGroup,
      environment: {
        // Node 20+ Lambda runtimes load the bundle with the RDS CAs only when asked to.
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      },
    });
    acknowledge(
      this,
      [
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            'AWSLambdaBasicExecutionRole is the AWS-maintained minimum for a function to write its own logs; everything else is granted per resource.',
        },
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
          reason:
            'AWSLambdaVPCAccessExecutionRole is the AWS-maintained minimum for a function in a VPC (create and delete its network interfaces).',
        },
        {
          id: 'HIPAA.Security-IAMNoInlinePolicy',
          reason:
            "The function role's grants (exact secret, key and cluster ARNs) live in its own inline policy so they cannot be attached to any other principal; a customer-managed policy would hold the same statements.",
        },
        {
          id: 'HIPAA.Security-LambdaConcurrency',
          reason:
            'Runs only during CloudFormation deployments, one invocation per resource; reserving concurrency fails on new accounts whose limit is 10.',
        },
        {
          id: 'HIPAA.Security-LambdaDLQ',
          reason:
            'Invoked synchronously by CloudFormation, which records the failure and rolls back; a dead-letter queue would never receive anything.',
        },
      ],
    );
  }

  /** A custom resource (in the caller's scope) served by this function. */
  resource(scope: Construct, id: string, type: string, properties: Record<string, unknown>): CustomResource {
    return new CustomResource(scope, id, {
      serviceToken: this.function.functionArn,
      resourceType: `Custom::${type}`,
      properties,
    });
  }
}
