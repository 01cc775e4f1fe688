import { PasswordPolicy } from './password-policy';

const EMAIL = 'jane.doe@clinic.example';
const TOO_EASY = /^password is too easy to guess \(strength [0-2] of 4, at least 3 needed\): \S/;

describe('PasswordPolicy (zxcvbn-ts, score >= 3 by default)', () => {
  // Made once, as at start-up: the dictionaries load in the constructor.
  const policy = new PasswordPolicy(3);

  it.each([
    'correct horse battery staple',
    'Tr0ub4dor&3-extended',
    'mañana-llueve-2031',
    'a long enough passphrase',
    'passwordless-sunrise', // contains a common word but is not made of it
    'Sec-3f1a2b-pass!',
  ])('accepts %j', (password) => {
    expect(policy.problem(password, EMAIL)).toBeUndefined();
  });

  it.each([
    ['', 'password must be at least 12 characters'],
    ['short-pass1', 'password must be at least 12 characters'],
    ['🙂'.repeat(11), 'password must be at least 12 characters'], // 11 characters though 22 UTF-16 units
    ['a'.repeat(128) + 'b', 'password must be at most 128 characters'],
  ])('refuses by length %j', (password, message) => {
    expect(policy.problem(password, EMAIL)).toBe(message);
  });

  it.each([
    'password123password123', // a common password, repeated
    'qwertyuiopas', // a keyboard row
    'zxcvbnm,./asdf',
    'password1234',
    'Password2024!',
    'qwertyqwerty',
    'QwErTyQwErTy',
    '123456789012',
    '000000000000',
    'passwordpass',
    'iloveyouiloveyou',
    'xxxxxxxxxxxy',
    '            ',
  ])('refuses %j as too easy to guess, saying why', (password) => {
    expect(policy.problem(password, EMAIL)).toMatch(TOO_EASY);
  });

  it("says zxcvbn's warning and suggestions", () => {
    expect(policy.problem('qwertyuiopas', EMAIL)).toContain('This is similar to a commonly used password.');
    expect(policy.problem('password123password123', EMAIL)).toContain('Avoid repeated words and characters.');
  });

  it("refuses a password containing the email's name part, in any case", () => {
    const message = 'password must not contain the name part of the email address';
    expect(policy.problem('my-Jane.Doe-secret-7', EMAIL)).toBe(message);
    expect(policy.problem('JANE.DOE.IS.HERE.99', ' Jane.Doe@Clinic.example ')).toBe(message);
    // A name part this short is in too many good passwords to refuse them.
    expect(policy.problem('a long enough passphrase', 'al@clinic.example')).toBeUndefined();
  });

  it("counts the email's words as easy to guess (zxcvbn user inputs)", () => {
    const password = 'thornburyzelig';
    expect(policy.problem(password, 'someone@clinic.example')).toBeUndefined();
    expect(policy.problem(password, 'zelig.thornbury@clinic.example')).toMatch(TOO_EASY);
  });

  it('takes its minimum score from configuration', () => {
    expect(new PasswordPolicy(0).problem('qwertyuiopas', EMAIL)).toBeUndefined();
    expect(new PasswordPolicy(4).problem('thornburyzelig', EMAIL)).toMatch(/strength 3 of 4, at least 4 needed/);
  });
});
