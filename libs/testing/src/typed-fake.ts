/**
 * A unit test's fake standing in for a class `T` the code under test takes. Checked against `T`:
 * every member the fake has must have the type `T` gives it (a class fake should also declare
 * `implements Pick<T, ...>` the methods the code calls). Only the class's private members,
 * which no caller can reach, are not checked.
 */
export function typedFake<T>(fake: Partial<T>): T {
  return fake as T;
}
