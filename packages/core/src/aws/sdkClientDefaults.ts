/**
 * The SDK settings of every AWS client kinesis-toolkit builds itself (when the user passes none).
 *
 * `maxAttempts: 1` — the SDK does not retry; core's {@link RetryPolicy} is the one retry layer, with
 * its deadline per attempt, so attempts never multiply (3 SDK attempts × our attempts × a caller's).
 *
 * A client the user passes in keeps its own settings: each of our attempts may then be up to its
 * `maxAttempts` SDK attempts (SDK default 3), all inside the one deadline of our attempt, which the
 * SDK cannot extend. Pass `maxAttempts: 1` to make our retry policy the only one.
 */
export const SDK_CLIENT_DEFAULTS = Object.freeze({ maxAttempts: 1 });
