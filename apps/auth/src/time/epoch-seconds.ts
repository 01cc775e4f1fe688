/** Whole seconds since the epoch, as JWT claims count time. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
