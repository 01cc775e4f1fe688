import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

// A local part this short ("jo") is in too many good passwords to refuse them for it.
const MIN_LOCAL_PART_LENGTH = 3;

/** What zxcvbn knows about an account: its email, the email's name part and that part's pieces. */
function accountWords(email: string): string[] {
  const normalized = email.trim().toLowerCase();
  const localPart = normalized.split('@')[0] ?? '';
  return [...new Set([normalized, localPart, ...localPart.split(/[^\p{L}\p{N}]+/u)])].filter((word) => word.length >= MIN_LOCAL_PART_LENGTH);
}

/**
 * The one password rule for accounts created or reset through the API (the demo accounts are
 * seeded, not subject to it): 12 to 128 characters, not containing the name part of the
 * account's email, and strong enough by zxcvbn-ts (common-password, English and keyboard-pattern
 * dictionaries, the account's email as words to avoid) to reach `minScore` of 4. No
 * character-class rules (NIST SP 800-63B): they do less for strength than an estimate of guesses.
 *
 * The dictionaries are large: they are loaded once, when the policy is made (at start-up), and a
 * first estimate warms the estimator's caches so no request pays for it.
 */
export class PasswordPolicy {
  private readonly estimator = new ZxcvbnFactory({
    translations: zxcvbnEn.translations,
    graphs: zxcvbnCommon.adjacencyGraphs,
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
  });

  constructor(private readonly minScore: number) {
    this.estimator.check('warm-up-the-dictionaries-1');
  }

  /** The first rule broken, as the `errors.password` message, or undefined when acceptable. */
  problem(password: string, email: string): string | undefined {
    // Counted in code points, so an emoji is one character as a person sees it.
    const length = [...password].length;
    if (length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
    if (length > MAX_PASSWORD_LENGTH) return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;

    const localPart = email.trim().toLowerCase().split('@')[0] ?? '';
    if (localPart.length >= MIN_LOCAL_PART_LENGTH && password.toLowerCase().includes(localPart)) {
      return 'password must not contain the name part of the email address';
    }

    const { score, feedback } = this.estimator.check(password, accountWords(email));
    if (score >= this.minScore) return undefined;
    const why = [feedback.warning ?? 'It follows a pattern that is quick to guess.', ...feedback.suggestions].join(' ');
    return `password is too easy to guess (strength ${score} of 4, at least ${this.minScore} needed): ${why}`;
  }
}
