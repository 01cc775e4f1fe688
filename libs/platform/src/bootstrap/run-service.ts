import type { DynamicModule, INestApplication } from '@nestjs/common';
import { loadConfigOrExit } from '../config';
import type { z } from 'zod';
import { bootstrapService, runMain, type ServiceOptions } from './bootstrap-service';

/** What every service's configuration holds for its HTTP server (httpSchema, bodyLimitSchema, trustedProxiesSchema). */
export interface ServiceHttpConfig {
  HTTP_HOST: string;
  HTTP_PORT: number;
  MAX_BODY_BYTES: number;
  TRUSTED_PROXIES?: readonly string[];
}

export interface RunServiceOptions<S extends z.ZodObject> extends Pick<ServiceOptions, 'openApi' | 'parseJsonBodies' | 'configure'> {
  name: string;
  /** The service's configuration, read from the environment. */
  schema: S;
  /** The root module, built from the configuration. */
  module: { register(config: z.infer<S>): DynamicModule };
}

/**
 * A service's whole main.ts: loads its configuration (a bad variable ends the process with a
 * message naming it), then starts it (bootstrapService); a failure to start is one JSON log line
 * and exit code 1 (runMain). Resolves to the started app, or undefined when it failed.
 */
export function runService<S extends z.ZodObject>(options: RunServiceOptions<S> & { schema: z.ZodType<ServiceHttpConfig> }): Promise<INestApplication | undefined> {
  return runMain(options.name, async () => {
    const config = loadConfigOrExit(options.schema, options.name);
    const http: ServiceHttpConfig = config;
    return bootstrapService(options.module.register(config), {
      serviceName: options.name,
      host: http.HTTP_HOST,
      port: http.HTTP_PORT,
      maxBodyBytes: http.MAX_BODY_BYTES,
      trustedProxies: http.TRUSTED_PROXIES,
      openApi: options.openApi,
      parseJsonBodies: options.parseJsonBodies,
      configure: options.configure,
    });
  });
}
