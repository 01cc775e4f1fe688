import { COMMON_PASSWORDS, passwordProblem } from './password-policy';

const EMAIL = 'jane.doe@clinic.example';
const TOO_COMMON = 'password is too common: it is, or is made of, one of the most used passwords';

describe('passwordProblem (the password policy)', () => {
  it.each([
    'correct horse battery staple',
    'Tr0ub4dor&3-extended',
    'zxcvbnm,./asdf',
    'mañana-llueve-2031',
    'x'.repeat(11) + 'y',
    'a'.repeat(127) + 'b',
    'passwordless-sunrise', // contains a common word but is not made of it
    '9823740198237401', // digits, but no common sequence repeated or cut off
  ])('accepts %j', (password) => {
    expect(passwordProblem(password, EMAIL)).toBeUndefined();
  });

  it.each([
    ['', 'password must be at least 12 characters'],
    ['short-pass1', 'password must be at least 12 characters'],
    ['🙂'.repeat(11), 'password must be at least 12 characters'], // 11 characters though 22 UTF-16 units
    ['a'.repeat(128) + 'b', 'password must be at most 128 characters'],
  ])('refuses by length %j', (password, message) => {
    expect(passwordProblem(password, EMAIL)).toBe(message);
  });

  it.each([
    'password1234', // common word padded with digits
    'Password2024!',
    '!!Welcome!!2030',
    'qwertyqwerty', // repeated
    'QwErTyQwErTy',
    '123456789012', // a common digit run, cut off
    '000000000000',
    'passwordpass',
    'iloveyouiloveyou',
    'aaaaaaaaaaaaaaa', // one character
    '            ',
  ])('refuses %j as too common', (password) => {
    expect(passwordProblem(password, EMAIL)).toBe(TOO_COMMON);
  });

  it('knows the 20 most common passwords, each refused even when repeated to length', () => {
    expect(new Set(COMMON_PASSWORDS).size).toBe(20);
    for (const common of COMMON_PASSWORDS) {
      expect(passwordProblem(common.repeat(Math.ceil(12 / common.length)), EMAIL)).toBe(TOO_COMMON);
    }
  });

  it("refuses a password containing the email's name part, in any case", () => {
    const message = 'password must not contain the name part of the email address';
    expect(passwordProblem('my-Jane.Doe-secret-7', EMAIL)).toBe(message);
    expect(passwordProblem('JANE.DOE.IS.HERE.99', ' Jane.Doe@Clinic.example ')).toBe(message);
    // A name part this short is in too many good passwords to refuse them.
    expect(passwordProblem('a long enough passphrase', 'al@clinic.example')).toBeUndefined();
  });
});
