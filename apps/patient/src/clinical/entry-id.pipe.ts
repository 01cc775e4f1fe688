import { Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException, isUuid } from '@pm/platform';

/** A clinical entry id from the path: a UUID, lower-cased; anything else is a 400 naming `entryId`. */
@Injectable()
export class EntryIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw ProblemException.badRequest('The entry id is not a UUID', { entryId: 'Entry id must be a UUID' });
    return value.toLowerCase();
  }
}
