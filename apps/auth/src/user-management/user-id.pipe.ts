import { Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException, isUuid } from '@pm/platform';

/** A user id from the path: a UUID, lower-cased; anything else is a 400 naming `id`. */
@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw ProblemException.badRequest('The user id is not a UUID', { id: 'id must be a UUID' });
    return value.toLowerCase();
  }
}
