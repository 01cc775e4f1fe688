import { minorUnits } from './minor-units.transformer';

describe('minorUnits (bigint columns of minor units)', () => {
  it('reads PostgreSQL bigint strings as numbers and keeps SQL NULL as null', () => {
    expect(minorUnits.from('2500')).toBe(2500);
    expect(minorUnits.from('-1500')).toBe(-1500);
    expect(minorUnits.from(null)).toBeNull();
  });

  it('refuses an amount a JavaScript number cannot hold exactly, rather than rounding it', () => {
    expect(() => minorUnits.from('9007199254740993')).toThrow('Amount out of the safe integer range: 9007199254740993');
  });

  it('writes amounts unchanged', () => {
    expect(minorUnits.to(5000)).toBe(5000);
    expect(minorUnits.to(null)).toBeNull();
  });
});
