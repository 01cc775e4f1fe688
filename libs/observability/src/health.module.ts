import { Controller, DynamicModule, Get, Inject, Module, Provider, ServiceUnavailableException, Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { ProblemException } from '@pm/problem';
import { DEPENDENCY_CHECKS, DependencyCheck, withTimeout } from './dependency-check';

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DEPENDENCY_CHECKS) private readonly checks: DependencyCheck[],
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ description: 'Alive' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Every dependency of this service answers; 503 names the failing one' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.runChecks();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus reports which checks failed; the problem names them (contract: "503 with the failing one named").
      const result = error.getResponse() as HealthCheckResult;
      const failing = Object.keys(result.error ?? {});
      // Only names and states: a driver's message can carry internal host names.
      const details = Object.fromEntries(Object.entries(result.details).map(([name, detail]) => [name, { status: detail.status }]));
      throw new ProblemException(503, `Not ready: ${failing.join(', ')} unavailable`, { details });
    }
  }

  private runChecks(): Promise<HealthCheckResult> {
    return this.health.check(
      this.checks.map((dependency) => async () => {
        const indicator = this.indicators.check(dependency.name);
        try {
          await withTimeout(dependency.check(), CHECK_TIMEOUT_MS, dependency.name);
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      }),
    );
  }
}

/** `/health/live` and `/health/ready`; the app lists the checks its readiness depends on. */
@Module({})
export class HealthModule {
  static register(options: { checks: Type<DependencyCheck>[]; imports?: DynamicModule['imports'] }): DynamicModule {
    const collect: Provider = {
      provide: DEPENDENCY_CHECKS,
      useFactory: (...checks: DependencyCheck[]) => checks,
      inject: options.checks,
    };
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [...options.checks, collect],
    };
  }
}
