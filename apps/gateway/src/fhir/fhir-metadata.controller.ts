import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type CapabilityStatement, FHIR_JSON, capabilityStatement } from '@pm/fhir';

/** `GET /fhir/R4/metadata`: what the FHIR R4 edge serves. Public, as FHIR and SMART servers make it. */
@ApiTags('fhir')
@ApiProduces(FHIR_JSON)
@Controller('fhir/R4')
export class FhirMetadataController {
  // Built once: FHIR_SURFACE does not change while the gateway runs, and `date` is when it started.
  private readonly statement = capabilityStatement({ date: new Date() });

  @Get('metadata')
  @Header('Content-Type', FHIR_JSON)
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The CapabilityStatement: FHIR 4.0.1, JSON, each resource type with its interactions, search parameters and operations; no token needed',
  })
  @ApiOkResponse({ description: 'A CapabilityStatement', content: { [FHIR_JSON]: { schema: { type: 'object' } } } })
  metadata(): CapabilityStatement {
    return this.statement;
  }
}
