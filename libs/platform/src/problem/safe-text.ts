import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from './problem';

export const UNSAFE_TEXT_MESSAGE = 'must not contain NUL or unpaired surrogate characters';

/**
 * NUL, which PostgreSQL cannot store in text, and a UTF-16 surrogate without its pair, which is no
 * character at all (UTF-8 cannot encode it). Right-to-left marks and 4-byte characters (a surrogate
 * pair) are text like any other.
 */
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/; // eslint-disable-line no-control-regex -- NUL is refused on purpose

// A body full of bad strings is named by its first few fields, not echoed whole.
const MAX_NAMED_FIELDS = 10;

export function isUnsafeText(text: string): boolean {
  return UNSAFE_TEXT.test(text);
}

/**
 * Every string (and property name) in `value` that is unsafe text, as `{ path: message }`: nested
 * fields by dotted path (`address.city`, `items.0`), the value itself by `root`. Walks without
 * recursion, so no input nests deep enough to exhaust the stack.
 */
export function unsafeTextFields(value: unknown, root: string, prefix = ''): Record<string, string> {
  const errors: Record<string, string> = {};
  const pending: [unknown, string][] = [[value, prefix]];
  for (let next = 0; next < pending.length && Object.keys(errors).length < MAX_NAMED_FIELDS; next++) {
    const [current, path] = pending[next];
    if (typeof current === 'string') {
      if (isUnsafeText(current)) errors[path || root] = UNSAFE_TEXT_MESSAGE;
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        if (isUnsafeText(key)) errors[path || root] = `property names ${UNSAFE_TEXT_MESSAGE}`;
        else pending.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return errors;
}

/**
 * One global pipe, before validation: a body, query or path parameter holding text that
 * PostgreSQL or a validator cannot take is a 400 naming the field, whatever the route.
 */
@Injectable()
export class SafeTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const errors = unsafeTextFields(value, metadata.type, metadata.data ?? '');
    if (Object.keys(errors).length > 0) throw ProblemException.badRequest('The request has invalid fields', errors);
    return value;
  }
}
