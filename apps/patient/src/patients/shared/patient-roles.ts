// Who may do what (contract): ADMIN everything; DOCTOR and NURSE read, create and update;
// BILLING reads the contact details only (patientViewFor); ANALYST nothing.
export const READERS = ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING'] as const;
export const WRITERS = ['ADMIN', 'DOCTOR', 'NURSE'] as const;
export const REMOVERS = ['ADMIN'] as const;
