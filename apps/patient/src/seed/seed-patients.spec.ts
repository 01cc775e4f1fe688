import { MAX_CLINICAL_PER_KIND, MAX_COUNT } from './patient-seeder';
import { parseCommandLine } from './seed-patients';

describe('seed:patients command line', () => {
  it('reads --count, --clinical and --database; no clinical entries unless asked', () => {
    expect(parseCommandLine(['--count', '1000', '--database', 'patient_bench'])).toEqual({ count: 1000, clinical: 0, database: 'patient_bench' });
    expect(parseCommandLine(['--count', '1', '--clinical', '50'])).toEqual({ count: 1, clinical: 50, database: undefined });
  });

  it.each([[[]], [['--count', '0']], [['--count', 'many']], [['--count', String(MAX_COUNT + 1)]]])('refuses %j naming --count', (args) => {
    expect(() => parseCommandLine(args)).toThrow(`--count must be a whole number from 1 to ${MAX_COUNT}`);
  });

  it.each(['-1', '2.5', 'fifty', '', String(MAX_CLINICAL_PER_KIND + 1)])('refuses --clinical %j naming the option', (clinical) => {
    expect(() => parseCommandLine(['--count', '1', `--clinical=${clinical}`])).toThrow(`--clinical must be a whole number from 0 to ${MAX_CLINICAL_PER_KIND}`);
  });
});
