import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AppConfigModule } from '../config';
import { LoggingModule } from '../logging';
import { MetricsModule, collectProcessMetrics } from '../observability';
import { ProblemDetailsFilter, SafeTextPipe, createValidationPipe } from '../problem';

export interface CoreOptions {
  serviceName: string;
  config: { LOG_LEVEL: string };
}

/**
 * What every service has: its validated configuration, JSON logs with request ids, Prometheus
 * metrics, the pipes every request passes (text PostgreSQL can store, then validation) and one
 * problem+json error filter.
 */
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    collectProcessMetrics(options.serviceName);
    return {
      module: CoreModule,
      imports: [
        AppConfigModule.register(options.config),
        LoggingModule.forRoot({ serviceName: options.serviceName, level: options.config.LOG_LEVEL }),
        MetricsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Global pipes run in the order provided: unsafe text is refused before anything validates it.
        { provide: APP_PIPE, useClass: SafeTextPipe },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
