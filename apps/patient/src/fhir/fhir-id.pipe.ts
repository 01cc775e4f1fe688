import { Injectable, PipeTransform } from '@nestjs/common';
import { isUuid } from '@pm/platform';
import { FhirOutcomeException } from './fhir-input';

/** A resource id from the path: a UUID, lower-cased; anything else is a 400 naming `id`. */
@Injectable()
export class FhirIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw FhirOutcomeException.invalid({ id: 'must be a UUID (the resource ids of this server are)' });
    return value.toLowerCase();
  }
}
