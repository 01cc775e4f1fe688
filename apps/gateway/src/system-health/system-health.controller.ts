import { Controller, Get, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DependencyStateResponse, SystemHealthResponse } from './dto/system-health.response';
import { SystemHealthService } from './system-health.service';

@ApiTags('health')
@ApiExtraModels(DependencyStateResponse)
@Controller('health')
export class SystemHealthController {
  constructor(private readonly systemHealth: SystemHealthService) {}

  @Get('system')
  @ApiOperation({ summary: "Every service's readiness; 200 only when all of them are ready (status `degraded` when one is doing without Redis)" })
  @ApiOkResponse({ type: SystemHealthResponse })
  @ApiServiceUnavailableResponse({ type: SystemHealthResponse, description: 'At least one service is not ready' })
  async system(@Res({ passthrough: true }) res: Response): Promise<SystemHealthResponse> {
    const health = await this.systemHealth.check();
    res.status(health.status === 'down' ? 503 : 200);
    return health;
  }
}
