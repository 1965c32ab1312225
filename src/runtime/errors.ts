/**
 * Errors the engine raises. A failing user function surfaces as an `OperatorError` naming the operator (and its
 * subtask when parallel) with the original error as `cause` — DESIGN.md §1 "Errors are part of the contract".
 */
export class OperatorError extends Error {
  override name = 'OperatorError';
  constructor(
    readonly operatorName: string,
    readonly subtaskIndex: number,
    readonly parallelism: number,
    cause: unknown,
  ) {
    const where = parallelism > 1 ? ` (subtask ${subtaskIndex + 1}/${parallelism})` : '';
    super(`Operator '${operatorName}'${where} failed: ${messageOf(cause)}`, { cause });
  }
}

/** The job was cancelled before it finished; `execute()` rejects with this. */
export class JobCancelledError extends Error {
  override name = 'JobCancelledError';
  constructor(jobName: string) {
    super(`Job '${jobName}' was cancelled`);
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
