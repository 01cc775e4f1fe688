import { Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from '@pm/problem';

// Any UUID layout PostgreSQL accepts; the demo ids (compat) are not all RFC 4122 versions.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A patient id from the path: a UUID, lower-cased; anything else is a 400 naming `id`. */
@Injectable()
export class PatientIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw ProblemException.badRequest('The patient id is not a UUID', { id: 'Patient id must be a UUID' });
    return value.toLowerCase();
  }
}
