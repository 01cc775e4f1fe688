/**
 * The vital signs the record takes, by LOINC code, in the one UCUM unit each is recorded in, with
 * the range a measurement must fall in to be believed (newborns to adults; wider than normal, so
 * a sick patient's real value is never refused, narrower than any typing slip like 1200 /min).
 */
export interface VitalSignDefinition {
  readonly code: string;
  readonly display: string;
  readonly unit: string;
  /** For a single value. */
  readonly range?: readonly [number, number];
  /** For blood pressure: its parts, each with its own LOINC code and range. */
  readonly components?: Readonly<Record<'systolic' | 'diastolic', { code: string; display: string; range: readonly [number, number] }>>;
}

export const VITAL_SIGNS: Readonly<Record<string, VitalSignDefinition>> = {
  '8867-4': { code: '8867-4', display: 'Heart rate', unit: '/min', range: [20, 300] },
  '9279-1': { code: '9279-1', display: 'Respiratory rate', unit: '/min', range: [4, 120] },
  '8310-5': { code: '8310-5', display: 'Body temperature', unit: 'Cel', range: [25, 45] },
  '29463-7': { code: '29463-7', display: 'Body weight', unit: 'kg', range: [0.3, 650] },
  '59408-5': { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', range: [40, 100] },
  '85354-9': {
    code: '85354-9',
    display: 'Blood pressure panel with all children optional',
    unit: 'mm[Hg]',
    components: {
      systolic: { code: '8480-6', display: 'Systolic blood pressure', range: [30, 300] },
      diastolic: { code: '8462-4', display: 'Diastolic blood pressure', range: [10, 200] },
    },
  },
};

export const BLOOD_PRESSURE = '85354-9';
