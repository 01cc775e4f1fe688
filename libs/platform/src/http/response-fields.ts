/** A field as it goes on the wire: dates become ISO-8601 text, everything else is as is. */
export type WireValue<T> = T extends Date ? string : T;

export type ResponseFields<S, K extends keyof S> = { [P in K]: WireValue<S[P]> };

/**
 * The named fields of a record, in the order given (the JSON keeps it), dates as ISO-8601 text.
 * Only the named fields are copied, so a response never leaks a column its DTO does not declare.
 */
export function responseFields<S extends object, const K extends keyof S>(source: S, keys: readonly K[]): ResponseFields<S, K> {
  const fields: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    const value = source[key];
    fields[key] = value instanceof Date ? value.toISOString() : value;
  }
  return fields as ResponseFields<S, K>;
}
