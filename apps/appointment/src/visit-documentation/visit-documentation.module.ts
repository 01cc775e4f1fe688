import { Module } from '@nestjs/common';
import { ClinicalEventsConsumer } from './clinical-events.consumer';
import { VisitDocumentationRepository } from './visit-documentation.repository';
import { VisitDocumentationService } from './visit-documentation.service';

/** Appointments documented by visit notes (the `clinical` topic). */
@Module({
  providers: [VisitDocumentationRepository, VisitDocumentationService, ClinicalEventsConsumer],
})
export class VisitDocumentationModule {}
