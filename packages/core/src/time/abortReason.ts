import { AbortedError } from '../errors/AbortedError';

/** The error to reject with when `signal` has fired: its own reason if that is an Error, else an {@link AbortedError}. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason;
  return new AbortedError(reason instanceof Error ? reason.message : 'the operation was aborted', reason);
}
