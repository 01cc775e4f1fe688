import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DependencyStateResponse {
  @ApiProperty({ example: 'up' })
  status: string;
}

export class ServiceHealthResponse {
  @ApiProperty({ enum: ['up', 'degraded', 'down'] })
  status: 'up' | 'degraded' | 'down';

  @ApiPropertyOptional({ example: 200, description: 'What the service’s /health/ready answered; absent when it did not answer' })
  httpStatus?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/DependencyStateResponse' },
    example: { database: { status: 'up' }, kafka: { status: 'up' } },
  })
  details?: Record<string, DependencyStateResponse>;

  @ApiPropertyOptional({ example: 'unreachable', description: 'Why a service that did not answer is down' })
  reason?: string;
}

export class ServicesHealthResponse {
  @ApiProperty() auth: ServiceHealthResponse;
  @ApiProperty() patient: ServiceHealthResponse;
  @ApiProperty() billing: ServiceHealthResponse;
  @ApiProperty() analytics: ServiceHealthResponse;
  @ApiProperty() appointment: ServiceHealthResponse;
}

export class SystemHealthResponse {
  @ApiProperty({ enum: ['up', 'degraded', 'down'] })
  status: 'up' | 'degraded' | 'down';

  @ApiProperty()
  services: ServicesHealthResponse;
}
