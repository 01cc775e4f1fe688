/** What differs between deployments; everything else is the same code. */
export interface EnvironmentSettings {
  readonly name: string;
  /** Address space of the VPC; distinct per environment so they could be peered later. */
  readonly vpcCidr: string;
  /** One NAT gateway saves money outside production; production gets one per AZ. */
  readonly natGateways: number;
  readonly flowLogRetentionDays: number;
}

export const environments: Record<string, EnvironmentSettings> = {
  dev: { name: 'dev', vpcCidr: '10.10.0.0/16', natGateways: 1, flowLogRetentionDays: 30 },
  staging: { name: 'staging', vpcCidr: '10.20.0.0/16', natGateways: 1, flowLogRetentionDays: 90 },
  prod: { name: 'prod', vpcCidr: '10.30.0.0/16', natGateways: 2, flowLogRetentionDays: 365 },
};

export function environmentSettings(name: string): EnvironmentSettings {
  const settings = environments[name];
  if (!settings) {
    throw new Error(`Unknown environment '${name}'; use one of: ${Object.keys(environments).join(', ')}`);
  }
  return settings;
}
