const SECRET_KEY = /secret|password|passwd|token|credential|authorization|signature|private.?key|access.?key/i;

/** The value written in place of a secret. */
export const REDACTED = '[redacted]';

/**
 * A copy of `value` safe to log: fields whose names suggest secrets are replaced by `[redacted]`
 * at any depth, errors become `{ name, message, code, cause }`, buffers their length, and cycles and
 * depth beyond 6 are cut.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > 6) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const { code } = value as { code?: unknown };
    return {
      name: value.name,
      message: value.message,
      ...(code === undefined ? {} : { code }),
      ...(value.cause === undefined ? {} : { cause: redact(value.cause, depth + 1, seen) }),
    };
  }
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? REDACTED : redact(item, depth + 1, seen);
  return out;
}
