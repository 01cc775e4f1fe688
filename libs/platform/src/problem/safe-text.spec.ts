import { ProblemException } from './problem';
import { SafeTextPipe, UNSAFE_TEXT_MESSAGE, isUnsafeText, unsafeTextFields } from './safe-text';

describe('the text rule', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['a lone high surrogate', 'x\ud800'],
    ['a lone high surrogate before a letter', '\ud800x'],
    ['a lone low surrogate', '\udc00'],
    ['two high surrogates', '\ud83d\ud83d'],
  ])('refuses %s', (_, text) => {
    expect(isUnsafeText(text)).toBe(true);
  });

  it.each([
    ['plain text', 'Jane Doe'],
    ['an emoji (a surrogate pair)', 'Check-up \u{1F600}'],
    ['a right-to-left mark', '\u200fשלום'],
    ['an isolate and zero-width joiner', '\u2067a\u2069\u200d'],
    ['the empty string', ''],
    ['a 4-byte CJK character', '\u{20000}'],
  ])('accepts %s', (_, text) => {
    expect(isUnsafeText(text)).toBe(false);
  });

  it('names nested fields by dotted path, array items by index, and leaves good fields out', () => {
    const body = { name: 'ok', contact: { email: 'a\ud800@example.com', phone: '1' }, tags: ['fine', 'bad\u0000'] };
    expect(unsafeTextFields(body, 'body')).toEqual({ 'contact.email': UNSAFE_TEXT_MESSAGE, 'tags.1': UNSAFE_TEXT_MESSAGE });
  });

  it('names the parent of a bad property name, and the root by its name', () => {
    expect(unsafeTextFields({ 'x\u0000': 1 }, 'query')).toEqual({ query: `property names ${UNSAFE_TEXT_MESSAGE}` });
    expect(unsafeTextFields({ a: { '\udfff': 1 } }, 'body')).toEqual({ a: `property names ${UNSAFE_TEXT_MESSAGE}` });
    expect(unsafeTextFields('\u0000', 'param', 'id')).toEqual({ id: UNSAFE_TEXT_MESSAGE });
  });

  it('names at most ten fields of a body full of bad strings', () => {
    const body = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}`, '\u0000']));
    expect(Object.keys(unsafeTextFields(body, 'body'))).toHaveLength(10);
  });

  it('walks a value nested far deeper than the stack allows without overflowing', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(Object.values(unsafeTextFields(deep, 'body'))).toEqual([UNSAFE_TEXT_MESSAGE]);
  });
});

describe('SafeTextPipe', () => {
  const pipe = new SafeTextPipe();
  const problemOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      return (error as ProblemException).getResponse();
    }
    throw new Error('expected a ProblemException');
  };

  it('refuses a bad body field, query value or path parameter with a 400 naming it', () => {
    expect(problemOf(() => pipe.transform({ email: '\ud800' }, { type: 'body' }))).toMatchObject({ status: 400, errors: { email: UNSAFE_TEXT_MESSAGE } });
    expect(problemOf(() => pipe.transform({ actorId: '\u0000' }, { type: 'query' }))).toMatchObject({ status: 400, errors: { actorId: UNSAFE_TEXT_MESSAGE } });
    expect(problemOf(() => pipe.transform('\u0000', { type: 'query', data: 'actorId' }))).toMatchObject({ errors: { actorId: UNSAFE_TEXT_MESSAGE } });
    expect(problemOf(() => pipe.transform('a\u0000', { type: 'param', data: 'id' }))).toMatchObject({ errors: { id: UNSAFE_TEXT_MESSAGE } });
  });

  it('passes good values through unchanged, and leaves custom parameters (the caller) alone', () => {
    const body = { reason: 'Kontrolle \u{1F9B7} \u200f' };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
    const caller = { note: '\u0000' };
    expect(pipe.transform(caller, { type: 'custom' })).toBe(caller);
  });
});
