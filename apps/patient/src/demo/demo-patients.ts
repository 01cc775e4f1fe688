import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UUID_PATTERN } from '@pm/platform';
import { z } from 'zod';
import { isCalendarDate } from '../patients/shared/dto/patient-rules';

const FILE = 'demo-patients.json';
const SOURCE_PATH = join('apps', 'patient', 'src', 'demo', FILE);

const demoPatientsSchema = z.array(
  z.object({
    id: z.string().regex(UUID_PATTERN).refine((id) => id === id.toLowerCase(), 'must be lower case'),
    name: z.string().min(1).max(100),
    email: z.email(),
    address: z.string().min(1),
    dateOfBirth: z.string().refine(isCalendarDate),
    registeredDate: z.string().refine(isCalendarDate),
  }),
);

export type DemoPatient = z.infer<typeof demoPatientsSchema>[number];

/**
 * The file beside this module, or, when a build copied only the code, the one in the source tree
 * found by walking up (as proto/ is found).
 */
function demoPatientsFile(): string {
  const beside = join(__dirname, FILE);
  if (existsSync(beside)) return beside;
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, SOURCE_PATH);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`Cannot find ${FILE}`);
}

/** The 15 demo patients of the contract (compat), with their fixed ids. */
export function loadDemoPatients(): DemoPatient[] {
  return demoPatientsSchema.parse(JSON.parse(readFileSync(demoPatientsFile(), 'utf8')));
}
