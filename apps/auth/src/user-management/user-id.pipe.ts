import { Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from '@pm/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user id from the path: a UUID, lower-cased; anything else is a 400 naming `id`. */
@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw ProblemException.badRequest('The user id is not a UUID', { id: 'id must be a UUID' });
    return value.toLowerCase();
  }
}
