import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Rule ids of the two packs; the tests assert no finding of either is left unacknowledged. */
export const NAG_RULE_PATTERN = 'AwsSolutions-.*|HIPAA.Security-.*';

export interface AcceptedFinding {
  /** A cdk-nag rule id, or `Rule[finding]` for one finding of a multi-finding rule (IAM4/IAM5). */
  readonly id: string;
  /** Why the finding is accepted here; read in code review and listed in the deployment notes. */
  readonly reason: string;
}

/**
 * AWS Solutions and HIPAA Security packs (cdk-nag v3, CDK policy validation) on the whole app:
 * `app.synth()` fails on any finding that is not acknowledged.
 */
export function applyComplianceChecks(app: IConstruct): { packs: (AwsSolutionsChecks | HIPAASecurityChecks)[] } {
  const packs = [new AwsSolutionsChecks(app, { verbose: true }), new HIPAASecurityChecks(app, { verbose: true })];
  Validations.of(app).addPlugins(...packs);
  return { packs };
}

/** Accepts cdk-nag findings on `scope` and everything below it, each with its reason. */
export function acknowledge(scope: IConstruct, findings: readonly AcceptedFinding[]): void {
  if (findings.length > 0) Validations.of(scope).acknowledge(...findings);
}
