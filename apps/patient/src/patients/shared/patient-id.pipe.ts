import { Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException, isUuid } from '@pm/platform';

/** A patient id from the path: a UUID, lower-cased; anything else is a 400 naming `id`. */
@Injectable()
export class PatientIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw ProblemException.badRequest('The patient id is not a UUID', { id: 'Patient id must be a UUID' });
    return value.toLowerCase();
  }
}
