import { InvalidArgumentError } from '@kinesis-toolkit/core';

/** The part of jq-web the extractor uses. */
interface JqRuntime {
  json(input: unknown, filter: string): unknown;
}

let runtime: Promise<JqRuntime> | undefined;

/**
 * jq itself (the C implementation compiled to WebAssembly by `jq-web`; no binary to install),
 * loaded once per process.
 */
function jq(): Promise<JqRuntime> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  runtime ??= Promise.resolve(require('jq-web') as Promise<JqRuntime> | JqRuntime);
  return runtime;
}

/** One record's outcome of a jq query: its output, or jq's error message. */
export type JqOutcome = { readonly value: unknown } | { readonly error: string };

/**
 * A jq expression run by real jq over many records in one call — the expression is compiled
 * once per batch, and an error in one record (`try … catch`) fails that record only.
 */
export class JqQuery {
  private constructor(readonly source: string) {}

  /**
   * Compiles `source` once to check it.
   * @throws InvalidArgumentError naming `name` with jq's compile error.
   */
  static async compile(name: string, source: unknown): Promise<JqQuery> {
    if (typeof source !== 'string' || source.trim() === '') throw new InvalidArgumentError(name, 'a jq expression such as {customer_id: .customer_id}', source);
    try {
      (await jq()).json(null, `try (${source}) catch null`);
    } catch (error) {
      throw new InvalidArgumentError(name, `a jq expression that compiles (${String((error as Error).message).split('\n').find((line) => line.startsWith('jq: error')) ?? (error as Error).message})`, source);
    }
    return new JqQuery(source);
  }

  /** Runs the query on each input; `outcomes[i]` belongs to `inputs[i]`. */
  async run(inputs: readonly unknown[]): Promise<JqOutcome[]> {
    if (inputs.length === 0) return [];
    const runtime = await jq();
    const results = runtime.json(inputs, `[.[] | try {value: (${this.source})} catch {error: (. | tostring)}]`) as ({ value?: unknown; error?: string } | null)[];
    return results.map((result) => (result !== null && 'error' in result ? { error: String(result.error) } : { value: result?.value }));
  }
}
