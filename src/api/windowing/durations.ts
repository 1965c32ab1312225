/** Validates a duration in milliseconds: a safe integer, positive unless `allowZeroOrNegative`. */
export function checkDuration(value: number, name: string, allowZeroOrNegative = false): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be an integer number of milliseconds, got ${String(value)}`);
  }
  if (!allowZeroOrNegative && value <= 0) throw new RangeError(`${name} must be > 0, got ${value}`);
}
