import { Module } from '@nestjs/common';
import { FhirMetadataController } from './fhir-metadata.controller';

/** The gateway's own part of the FHIR R4 edge: the CapabilityStatement (the resources are proxied). */
@Module({ controllers: [FhirMetadataController] })
export class FhirMetadataModule {}
