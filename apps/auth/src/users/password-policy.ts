export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** The 20 most used passwords in public breach lists (NordPass, SplashData), lower-case. */
export const COMMON_PASSWORDS: readonly string[] = [
  '123456',
  'password',
  '123456789',
  '12345678',
  '12345',
  '1234567',
  'qwerty',
  '1234567890',
  '111111',
  '123123',
  'abc123',
  'password1',
  '1234',
  'iloveyou',
  '000000',
  'qwerty123',
  '1q2w3e4r',
  'admin',
  'letmein',
  'welcome',
];

// A local part this short ("jo") is in too many good passwords to refuse them for it.
const MIN_LOCAL_PART_LENGTH = 3;

/**
 * Whether `password` is nothing but `common`: repeated or cut off ("qwertyqwerty",
 * "123456789012"), or, for a word, padded with digits and symbols ("Password2024!").
 */
function isOnly(password: string, common: string): boolean {
  if (password.length >= common.length && common.repeat(Math.ceil(password.length / common.length)).startsWith(password)) return true;
  if (!/[a-z]/.test(common)) return false;
  const core = password.replace(/^[^a-z]+|[^a-z]+$/g, '');
  return core.length > 0 && common.repeat(Math.ceil(core.length / common.length)) === core;
}

/**
 * The one password rule for accounts created or reset through the API (the demo accounts are
 * seeded, not subject to it): 12 to 128 characters, not a common password or a variant of one,
 * and not containing the name part of the account's email. No character-class rules (NIST
 * SP 800-63B): length and a deny-list do more for strength than forced symbols.
 *
 * Answers the first rule broken, as the `errors.password` message, or undefined when acceptable.
 */
export function passwordProblem(password: string, email: string): string | undefined {
  // Counted in code points, so an emoji is one character as a person sees it.
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;

  const lower = password.toLowerCase();
  if (/^(.)\1*$/u.test(lower) || COMMON_PASSWORDS.some((common) => isOnly(lower, common))) {
    return 'password is too common: it is, or is made of, one of the most used passwords';
  }
  const localPart = email.trim().toLowerCase().split('@')[0] ?? '';
  if (localPart.length >= MIN_LOCAL_PART_LENGTH && lower.includes(localPart)) {
    return 'password must not contain the name part of the email address';
  }
  return undefined;
}
