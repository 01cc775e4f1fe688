/**
 * A few values known to break parsers, validators and databases; the arbitraries mix them with
 * generated ones. Each has a name so a report says which one it was.
 */
export const ODD_CHARACTERS = {
  nul: '\u0000',
  'lone-high-surrogate': '\ud800',
  'lone-low-surrogate': '\udfff',
  'right-to-left-mark': '\u200f',
  'right-to-left-override': '\u202e',
  '4-byte-emoji': '\u{1F600}',
  '4-byte-math-letter': '\u{1D54F}',
  bom: '\ufeff',
  'zero-width-joiner': '\u200d',
  'combining-marks': 'Z\u0334\u0321\u0349\u0344',
  noncharacter: '\uffff',
  'c1-control': '\u0085',
  backspace: '\u0008',
  'line-separator': '\u2028',
} as const satisfies Record<string, string>;

export type OddCharacter = keyof typeof ODD_CHARACTERS;

export const NASTY_STRINGS: Readonly<Record<string, string>> = {
  empty: '',
  blank: '   ',
  'sql-quote': "' OR '1'='1",
  'sql-drop': "'; DROP TABLE patients;--",
  'sql-select': 'SELECT * FROM users',
  'format-string': '%s%s%s%n%x',
  template: '${7*7}{{7*7}}',
  'path-traversal': '../../../../etc/passwd',
  'encoded-slash': '..%2F..%2Fetc',
  html: '<script>alert(1)</script>',
  proto: '__proto__',
  'internal-url': 'http://169.254.169.254/latest/meta-data',
  'nul-run': '\u0000'.repeat(8),
  'nul-inside': 'a\u0000b',
  'surrogate-pair-split': '\udbff\udc00\udc00',
  'nil-uuid': '00000000-0000-0000-0000-000000000000',
  'uuid-uppercase': 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  'uuid-braced': '{123e4567-e89b-12d3-a456-426614174000}',
  'date-impossible': '2024-02-30',
  'date-far': '275760-09-13',
  'date-negative-year': '-000001-01-01',
  'datetime-bad-offset': '2030-01-01T00:00:00+25:00',
  'number-huge': '1e309',
  'number-hex': '0x10',
  'not-a-number': 'NaN',
  'boolean-word': 'true',
  'null-word': 'null',
  newline: 'a\r\nX-Injected: 1',
};

/** Numbers a JSON parser accepts but integer and money code may not. */
export const NASTY_NUMBERS: Readonly<Record<string, string>> = {
  zero: '0',
  negative: '-1',
  'negative-zero': '-0',
  fraction: '1.5',
  'int32-overflow': '2147483648',
  'beyond-safe-integer': '9007199254740993',
  'float-max': '1.7976931348623157e308',
  'overflows-to-infinity': '1e999',
  'tiny-exponent': '1e-999',
  'long-digits': '1'.repeat(400),
};

/** Whole bodies a JSON endpoint must refuse cleanly. */
export const MALFORMED_BODIES: Readonly<Record<string, { contentType?: string; bytes: Buffer }>> = {
  'unterminated-object': { contentType: 'application/json', bytes: Buffer.from('{"email":"jane.doe.private@example.com"') },
  'single-quotes': { contentType: 'application/json', bytes: Buffer.from("{'email':'a'}") },
  'trailing-comma': { contentType: 'application/json', bytes: Buffer.from('{"a":1,}') },
  'bad-escape': { contentType: 'application/json', bytes: Buffer.from('{"a":"\\u12"}') },
  'bare-words': { contentType: 'application/json', bytes: Buffer.from('Jane Doe, private note about her visit') },
  'raw-nul': { contentType: 'application/json', bytes: Buffer.from('{"a":"\u0000"}') },
  'invalid-utf8': { contentType: 'application/json', bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) },
  'utf8-encoded-surrogate': { contentType: 'application/json', bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
  'overlong-utf8': { contentType: 'application/json', bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]) },
  'bom-prefixed': { contentType: 'application/json', bytes: Buffer.from('\ufeff{"a":1}') },
  'json-null': { contentType: 'application/json', bytes: Buffer.from('null') },
  'json-string': { contentType: 'application/json', bytes: Buffer.from('"Jane Doe, born 1985-06-15, private note"') },
  'json-number': { contentType: 'application/json', bytes: Buffer.from('42') },
  'json-array': { contentType: 'application/json', bytes: Buffer.from('[{"a":1}]') },
  'empty-with-json-type': { contentType: 'application/json', bytes: Buffer.alloc(0) },
  'proto-pollution': { contentType: 'application/json', bytes: Buffer.from('{"__proto__":{"role":"ADMIN"},"constructor":{"prototype":{"x":1}}}') },
  'charset-utf16': { contentType: 'application/json; charset=utf-16', bytes: Buffer.from('{"a":1}', 'utf16le') },
  'charset-unknown': { contentType: 'application/json; charset=x-nonsense', bytes: Buffer.from('{"a":1}') },
  'text-plain': { contentType: 'text/plain', bytes: Buffer.from('{"email":"a@b.c"}') },
  'form-urlencoded': { contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from('email=a%40b.c&password=x') },
  xml: { contentType: 'application/xml', bytes: Buffer.from('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>') },
  'multipart-no-boundary': { contentType: 'multipart/form-data', bytes: Buffer.from('--x\r\n\r\n') },
  'no-content-type': { bytes: Buffer.from('{"a":1}') },
  'garbage-content-type': { contentType: ';;;/\u00e9', bytes: Buffer.from('{"a":1}') },
};
