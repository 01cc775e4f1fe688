import type { ValueTransformer } from 'typeorm';

/** PostgreSQL returns bigint as a string; amounts stay safe integers of minor units in code. */
export const minorUnits: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null) return null;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) throw new Error(`Amount out of the safe integer range: ${value}`);
    return parsed;
  },
};
