import type { ClinicalKind } from '@pm/auth-tokens';

// The kinds are the access policy's, which names their routes.
export { CLINICAL_KINDS, type ClinicalKind } from '@pm/auth-tokens';

export interface ClinicalKindRules {
  readonly kind: ClinicalKind;
  /** The singular noun, for messages and operation summaries ("allergy"). */
  readonly noun: string;
  /** The values its status may take, the first being the default. */
  readonly statuses: readonly string[];
  /** Whether a correction (PUT) is allowed: notes are never edited, an addendum is a new note. */
  readonly correctable: boolean;
}

/**
 * The rules that differ per kind; everything else is the same for every kind. Who may read and
 * write each kind is in ACCESS_POLICY (@pm/auth-tokens), not here.
 */
export const CLINICAL_RULES: Readonly<Record<ClinicalKind, ClinicalKindRules>> = {
  allergies: { kind: 'allergies', noun: 'allergy', statuses: ['active', 'inactive', 'resolved'], correctable: true },
  conditions: { kind: 'conditions', noun: 'condition', statuses: ['active', 'inactive', 'resolved'], correctable: true },
  medications: { kind: 'medications', noun: 'medication', statuses: ['active', 'completed', 'stopped'], correctable: true },
  vitals: { kind: 'vitals', noun: 'vital sign', statuses: ['final'], correctable: true },
  notes: { kind: 'notes', noun: 'note', statuses: ['final'], correctable: false },
};
