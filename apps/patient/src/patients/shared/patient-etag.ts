/** A record's version as a weak ETag (what If-Match names back; see records/preconditions). */
export function etagOf(patient: { version: number }): string {
  return `W/"${patient.version}"`;
}
