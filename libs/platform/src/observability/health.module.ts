import { Controller, DynamicModule, Get, Inject, Module, Provider, ServiceUnavailableException, Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { ProblemException } from '../problem';
import { DEPENDENCY_CHECKS, DependencyCheck, withTimeout } from './dependency-check';

const CHECK_TIMEOUT_MS = 2000;

/** Readiness while a degrades-only dependency is down: still 200, saying which. */
export interface DegradedHealthResult extends Omit<HealthCheckResult, 'status'> {
  status: 'degraded';
  degraded: string[];
}

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
  async ready(): Promise<HealthCheckResult | DegradedHealthResult> {
    const optional = await this.degradesOnlyStates();
    try {
      const result = await this.runChecks(this.checks.filter((dependency) => !dependency.degradesOnly));
      const details = { ...result.details, ...optional.details };
      const info = { ...result.info, ...Object.fromEntries(Object.entries(optional.details).filter(([, state]) => state.status === 'up')) };
      if (optional.down.length === 0) return { ...result, info, details };
      // Still serving: 200, naming what it is doing without (only names and states, as below).
      return { ...result, status: 'degraded', degraded: optional.down, info, details };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus reports which checks failed; the problem names them (contract: "503 with the failing one named").
      const result = error.getResponse() as HealthCheckResult;
      const failing = Object.keys(result.error ?? {});
      // Only names and states: a driver's message can carry internal host names.
      const details = Object.fromEntries(Object.entries(result.details).map(([name, detail]) => [name, { status: detail.status }]));
      throw new ProblemException(503, `Not ready: ${failing.join(', ')} unavailable`, { details: { ...details, ...optional.details } });
    }
  }

  /** The degrades-only dependencies' states (names and states only) and the names of those down. */
  private async degradesOnlyStates(): Promise<{ details: Record<string, { status: 'up' | 'down' }>; down: string[] }> {
    const optional = this.checks.filter((dependency) => dependency.degradesOnly);
    const states = await Promise.all(
      optional.map((dependency) =>
        withTimeout(dependency.check(), CHECK_TIMEOUT_MS, dependency.name).then(
          () => 'up' as const,
          () => 'down' as const,
        ),
      ),
    );
    return {
      details: Object.fromEntries(optional.map((dependency, i) => [dependency.name, { status: states[i] }])),
      down: optional.filter((_, i) => states[i] === 'down').map((dependency) => dependency.name),
    };
  }

  private runChecks(checks: DependencyCheck[]): Promise<HealthCheckResult> {
    return this.health.check(
      checks.map((dependency) => async () => {
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
