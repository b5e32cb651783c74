import type { EmitResult, RejectedItem } from '../Emitter';

/** An {@link EmitResult} with `rejected` only when something was rejected. */
export function emitResult<U>(failed: readonly U[], rejected: readonly RejectedItem<U>[] = []): EmitResult<U> {
  return rejected.length > 0 ? { failed, rejected } : { failed };
}
