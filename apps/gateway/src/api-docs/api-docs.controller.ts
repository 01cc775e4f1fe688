import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiDocsService, PUBLISHED_API_DOCS } from './api-docs.service';

@ApiTags('api docs')
@Controller('api-docs')
export class ApiDocsController {
  constructor(private readonly apiDocs: ApiDocsService) {}

  @Get(':name')
  @ApiOperation({ summary: "A service's OpenAPI document, with its paths as the gateway serves them" })
  @ApiParam({ name: 'name', enum: [...Object.keys(PUBLISHED_API_DOCS), 'gateway'] })
  @ApiOkResponse({ description: 'An OpenAPI 3 document', schema: { type: 'object' } })
  @ApiNotFoundResponse({ description: 'No document has that name' })
  @ApiServiceUnavailableResponse({ description: 'The service is down' })
  document(@Param('name') name: string): Promise<Record<string, unknown>> {
    return this.apiDocs.documentFor(name);
  }
}
