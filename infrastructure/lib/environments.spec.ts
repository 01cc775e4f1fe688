import { environmentNames, environmentSettings, environments } from './environments';

describe('environment settings', () => {
  it('knows localstack, dev and prod', () => {
    expect(environmentNames).toEqual(['localstack', 'dev', 'prod']);
  });

  it('refuses an unknown environment, naming the known ones', () => {
    expect(() => environmentSettings('qa')).toThrow("Unknown environment 'qa'; use one of: localstack, dev, prod");
    expect(() => environmentSettings('toString')).toThrow("Unknown environment 'toString'");
  });

  it('takes the certificate, image tag, alarm e-mail and region from context overrides', () => {
    const prod = environmentSettings('prod', {
      certificateArn: 'arn:aws:acm:eu-central-1:1:certificate/x',
      imageTag: 'abc123',
      alarmEmail: 'oncall@example.org',
      region: 'eu-west-1',
    });
    expect(prod.edge.certificateArn).toBe('arn:aws:acm:eu-central-1:1:certificate/x');
    expect(prod.image).toEqual({ kind: 'ecr', repositoryPrefix: 'patient-management', tag: 'abc123' });
    expect(prod.alarms.email).toBe('oncall@example.org');
    expect(prod.region).toBe('eu-west-1');
    expect(environments.prod.edge.certificateArn).toBeUndefined();
  });

  it('keeps production data safe and highly available', () => {
    const { prod } = environments;
    expect(prod.database).toMatchObject({ multiAz: true, deletionProtection: true, backupRetentionDays: 35 });
    expect(prod.cache.replicas).toBeGreaterThan(0);
    expect(prod.natGateways).toBe(2);
    expect(prod.retainData).toBe(true);
    expect(prod.services.defaults.minTasks).toBeGreaterThanOrEqual(2);
  });

  it('uses valid Fargate CPU/memory pairs everywhere', () => {
    const valid: Record<number, number[]> = {
      256: [512, 1024, 2048],
      512: [1024, 2048, 3072, 4096],
      1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
    };
    for (const settings of Object.values(environments)) {
      for (const sizing of [settings.services.defaults, settings.services.gateway]) {
        expect({ env: settings.name, ...sizing, valid: valid[sizing.cpu]?.includes(sizing.memoryMiB) }).toMatchObject({ valid: true });
        expect(sizing.maxTasks).toBeGreaterThanOrEqual(sizing.minTasks);
      }
    }
  });
});
