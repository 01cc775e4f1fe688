import { fieldErrors } from '@pm/platform';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreatePatientDto, UpdatePatientDto } from './patient-body.dto';
import { latestCurrentDate } from './patient-rules';

const valid = {
  name: 'John Doe',
  email: 'john.doe@example.com',
  address: '123 Main St, Springfield',
  dateOfBirth: '1985-06-15',
  registeredDate: '2024-01-10',
};

/** Validates as the global pipe does: one message per field, the first rule broken. */
function errorsOf(dto: typeof CreatePatientDto | typeof UpdatePatientDto, body: object): Record<string, string> {
  return fieldErrors(validateSync(plainToInstance(dto, body), { stopAtFirstError: true, whitelist: true, forbidNonWhitelisted: true }));
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

describe('CreatePatientDto', () => {
  it('accepts a complete, valid patient', () => {
    expect(errorsOf(CreatePatientDto, valid)).toEqual({});
  });

  it('names every missing field with its compat message', () => {
    expect(errorsOf(CreatePatientDto, {})).toEqual({
      name: 'Name is required',
      email: 'Email is required',
      address: 'Address is required',
      dateOfBirth: 'Date of birth is required',
      registeredDate: 'Registered date is required',
    });
  });

  it('treats blank and null values as missing', () => {
    expect(errorsOf(CreatePatientDto, { name: '   ', email: '', address: null, dateOfBirth: '', registeredDate: null })).toEqual({
      name: 'Name is required',
      email: 'Email is required',
      address: 'Address is required',
      dateOfBirth: 'Date of birth is required',
      registeredDate: 'Registered date is required',
    });
  });

  it('refuses a name over 100 characters but takes exactly 100', () => {
    expect(errorsOf(CreatePatientDto, { ...valid, name: 'a'.repeat(101) })).toEqual({ name: 'Name cannot exceed 100 characters' });
    expect(errorsOf(CreatePatientDto, { ...valid, name: 'a'.repeat(100) })).toEqual({});
  });

  it.each(['not-an-email', 'a@', '@b.com', 'john doe@example.com', 42])('refuses the email %p', (email) => {
    expect(errorsOf(CreatePatientDto, { ...valid, email })).toEqual({ email: 'Email should be valid' });
  });

  it.each(['2023-02-30', '2023-13-01', '1985-6-15', '15/06/1985', '1985-06-15T00:00:00Z', 19850615])(
    'refuses the impossible or malformed dates %p',
    (date) => {
      expect(errorsOf(CreatePatientDto, { ...valid, dateOfBirth: date, registeredDate: date })).toEqual({
        dateOfBirth: 'Date of birth must be a valid date (YYYY-MM-DD)',
        registeredDate: 'Registered date must be a valid date (YYYY-MM-DD)',
      });
    },
  );

  it('accepts 29 February of a leap year only', () => {
    expect(errorsOf(CreatePatientDto, { ...valid, dateOfBirth: '2000-02-29' })).toEqual({});
    expect(errorsOf(CreatePatientDto, { ...valid, dateOfBirth: '1900-02-29' })).toEqual({
      dateOfBirth: 'Date of birth must be a valid date (YYYY-MM-DD)',
    });
  });

  it('refuses a birth date in the future but accepts today', () => {
    const today = latestCurrentDate();
    expect(errorsOf(CreatePatientDto, { ...valid, dateOfBirth: dayAfter(today) })).toEqual({
      dateOfBirth: 'Date of birth cannot be in the future',
    });
    expect(errorsOf(CreatePatientDto, { ...valid, dateOfBirth: '2999-01-01' })).toEqual({
      dateOfBirth: 'Date of birth cannot be in the future',
    });
    expect(errorsOf(CreatePatientDto, { ...valid, dateOfBirth: today })).toEqual({});
  });

  it('refuses a NUL character that PostgreSQL could not store', () => {
    expect(errorsOf(CreatePatientDto, { ...valid, name: 'Jo\u0000hn', address: 'x\u0000' })).toEqual({
      name: 'Name contains a character that is not allowed',
      address: 'Address contains a character that is not allowed',
    });
  });

  it('refuses non-text names and addresses', () => {
    expect(errorsOf(CreatePatientDto, { ...valid, name: 12, address: ['a'] })).toEqual({
      name: 'Name must be text',
      address: 'Address must be text',
    });
  });

  it('refuses fields it does not know', () => {
    expect(errorsOf(CreatePatientDto, { ...valid, id: 'x' })).toHaveProperty('id');
  });
});

describe('UpdatePatientDto', () => {
  it('lets registeredDate be left out', () => {
    const { registeredDate: _, ...withoutRegisteredDate } = valid;
    expect(errorsOf(UpdatePatientDto, withoutRegisteredDate)).toEqual({});
  });

  it('still checks a registeredDate that is given', () => {
    expect(errorsOf(UpdatePatientDto, { ...valid, registeredDate: '2024-02-30' })).toEqual({
      registeredDate: 'Registered date must be a valid date (YYYY-MM-DD)',
    });
  });

  it('applies the same rules as create to the other fields', () => {
    expect(errorsOf(UpdatePatientDto, { email: 'nope', dateOfBirth: '2999-12-31' })).toEqual({
      name: 'Name is required',
      email: 'Email should be valid',
      address: 'Address is required',
      dateOfBirth: 'Date of birth cannot be in the future',
    });
  });
});

describe('latestCurrentDate', () => {
  it('is the date in UTC+14, the first zone to reach a day', () => {
    expect(latestCurrentDate(new Date('2024-03-01T09:59:59Z'))).toBe('2024-03-01');
    expect(latestCurrentDate(new Date('2024-03-01T10:00:00Z'))).toBe('2024-03-02');
  });
});
