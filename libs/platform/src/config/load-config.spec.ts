import { Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { APP_CONFIG, AppConfigModule } from './app-config.module';
import { describeConfig } from './describe-config';
import { InvalidConfigurationError, loadConfig, loadConfigOrExit } from './load-config';
import { behindGatewaySchema, databaseSchema, httpSchema, kafkaSchema, runtimeSchema } from './schemas';

const schema = runtimeSchema.extend(httpSchema(4000).shape).extend(databaseSchema('patients').shape).extend(kafkaSchema.shape);

describe('loadConfig', () => {
  it('fills every unset variable with its default, coerced to its type', () => {
    const config = loadConfig(schema, 'patient', {});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HTTP_HOST: '0.0.0.0',
      HTTP_PORT: 4000,
      DB_PORT: 5432,
      DB_NAME: 'patients',
      DB_POOL_SIZE: 10,
      DB_SSL: false,
      KAFKA_BROKERS: '127.0.0.1:9092',
    });
  });

  it('reads numbers and flags from their text', () => {
    const config = loadConfig(schema, 'patient', { HTTP_PORT: '8080', DB_SSL: '1', DB_POOL_SIZE: '3' });
    expect([config.HTTP_PORT, config.DB_SSL, config.DB_POOL_SIZE]).toEqual([8080, true, 3]);
  });

  it('treats an empty variable as unset, so a blank .env line keeps the default', () => {
    expect(loadConfig(schema, 'patient', { HTTP_PORT: '', LOG_LEVEL: '' })).toMatchObject({ HTTP_PORT: 4000, LOG_LEVEL: 'info' });
  });

  it('names the service and every bad variable, and none of the good ones', () => {
    let thrown: unknown;
    try {
      loadConfig(schema, 'patient', { HTTP_PORT: '70000', DB_NAME: 'Patients-DB', LOG_LEVEL: 'loud', DB_HOST: 'db' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidConfigurationError);
    const error = thrown as InvalidConfigurationError;
    expect(error.serviceName).toBe('patient');
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['DB_NAME', 'HTTP_PORT', 'LOG_LEVEL']);
    expect(error.message).toMatch(/^Invalid configuration for patient: /);
    expect(error.message).toContain('DB_NAME: must be a lower-case SQL identifier');
    expect(error.message).not.toContain('DB_HOST');
  });

  it('refuses a broker list that is not host:port pairs and a trusted proxy that is not an address', () => {
    expect(() => loadConfig(kafkaSchema, 'x', { KAFKA_BROKERS: 'kafka' })).toThrow(/KAFKA_BROKERS: must be a comma-separated list of host:port/);
    expect(() => loadConfig(behindGatewaySchema, 'x', { TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
    expect(loadConfig(behindGatewaySchema, 'x', { TRUSTED_PROXIES: ' 10.0.0.0/22, fd00::/8 ,loopback' }).TRUSTED_PROXIES).toEqual([
      '10.0.0.0/22',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('reads process.env when no environment is given', () => {
    const before = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'warn';
    try {
      expect(loadConfig(runtimeSchema, 'x').LOG_LEVEL).toBe('warn');
    } finally {
      if (before === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = before;
    }
  });
});

describe('loadConfigOrExit', () => {
  it('ends the process with status 1 and a line naming the bad variable', () => {
    const before = process.env.DB_POOL_SIZE;
    process.env.DB_POOL_SIZE = '0';
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as typeof process.exit);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => loadConfigOrExit(schema, 'patient')).toThrow('exit 1');
      expect(exit).toHaveBeenCalledWith(1);
      expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^Invalid configuration for patient: DB_POOL_SIZE: .*\n$/));
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
      if (before === undefined) delete process.env.DB_POOL_SIZE;
      else process.env.DB_POOL_SIZE = before;
    }
  });

  it('answers the configuration when it is valid', () => {
    expect(loadConfigOrExit(z.object({ NOT_SET_ANYWHERE_TXLIB: z.string().default('fallback') }), 'x')).toEqual({
      NOT_SET_ANYWHERE_TXLIB: 'fallback',
    });
  });
});

describe('describeConfig', () => {
  it('lists each variable with its default as text and its description; only variables without a default are required', () => {
    const described = describeConfig(
      z.object({
        SECRET: z.string().describe('A secret with no default'),
        PORT: z.coerce.number().default(4000).describe('Port'),
        FLAG: z.enum(['true', 'false']).default('false'),
      }),
    );
    expect(described).toEqual([
      { name: 'SECRET', required: true, default: undefined, description: 'A secret with no default' },
      { name: 'PORT', required: false, default: '4000', description: 'Port' },
      { name: 'FLAG', required: false, default: 'false', description: undefined },
    ]);
  });

  it('describes the shared fragments, so docs and compose can be checked against them', () => {
    const byName = new Map(describeConfig(schema).map((v) => [v.name, v]));
    expect(byName.get('DB_NAME')).toMatchObject({ required: false, default: 'patients', description: "The service's own database" });
    expect(byName.get('DB_SSL')).toMatchObject({ default: 'false' });
    expect(byName.get('HTTP_PORT')).toMatchObject({ default: '4000' });
  });
});

describe('AppConfigModule', () => {
  @Injectable()
  class NeedsConfig {
    constructor(@Inject(APP_CONFIG) readonly config: { LOG_LEVEL: string }) {}
  }

  it('hands every module the same frozen configuration', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.register({ LOG_LEVEL: 'warn' })],
      providers: [NeedsConfig],
    }).compile();
    const { config } = moduleRef.get(NeedsConfig);
    expect(config).toEqual({ LOG_LEVEL: 'warn' });
    expect(Object.isFrozen(config)).toBe(true);
  });
});
