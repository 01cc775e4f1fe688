import fc from 'fast-check';

/**
 * A JSON fragment given as text, with a short label for reports: a body thousands of levels deep or
 * megabytes long is sent exactly, and described in a line.
 */
export class RawJson {
  constructor(
    readonly text: string,
    readonly label: string,
  ) {}

  /** How fast-check prints it in a counterexample: by its label, not megabytes of text. */
  [fc.toStringMethod](): string {
    return `«${this.label}»`;
  }
}

/** A JSON-like value whose leaves may be RawJson fragments. */
export type JsonLike = null | boolean | number | string | RawJson | JsonLike[] | { [key: string]: JsonLike };

/** The JSON text sent. */
export function renderJson(value: JsonLike): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(renderJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${renderJson(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The same value for a report: fragments by their label, long strings shortened. */
export function describeJson(value: JsonLike): string {
  if (value instanceof RawJson) return `«${value.label}»`;
  if (Array.isArray(value)) return `[${value.map(describeJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${describeJson(item)}`)
      .join(',')}}`;
  }
  if (typeof value === 'string' && value.length > 200) return `${JSON.stringify(value.slice(0, 60))}«…${value.length} chars»`;
  return JSON.stringify(value);
}

/** `[[[…0…]]]` or `{"a":{"a":…}}`, `depth` levels. */
export function deeplyNested(depth: number, kind: 'array' | 'object'): RawJson {
  const text = kind === 'array' ? `${'['.repeat(depth)}0${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
  return new RawJson(text, `${kind} nested ${depth} levels deep`);
}

/** A JSON string of `length` copies of `unit`. */
export function oversizedString(length: number, unit = 'A'): RawJson {
  return new RawJson(JSON.stringify(unit.repeat(Math.ceil(length / unit.length)).slice(0, length)), `string of ${length} × ${JSON.stringify(unit)}`);
}
