import { InvalidConfigError } from './SourceSchema';

/** One step of a JSONPath: a member name, an array index, or every element (`[0:]`, `[*]`). */
type Step = { readonly kind: 'member'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'all' };

/**
 * The JSONPath subset KDA mappings use: `$`, `.name`, `['name']`, `[n]`, and `[0:]` / `[*]` for
 * every element of an array (whose values are then joined with commas, as KDA does).
 */
export function compileJsonPath(path: string, field: string): (value: unknown) => unknown {
  const steps: Step[] = [];
  if (!path.startsWith('$')) throw new InvalidConfigError(field, `a JSONPath starts with $, got ${JSON.stringify(path)}`);
  let rest = path.slice(1);
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if ((match = /^\.([A-Za-z_$][\w$-]*)/.exec(rest))) steps.push({ kind: 'member', name: match[1]! });
    else if ((match = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest)) || (match = /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest))) steps.push({ kind: 'member', name: match[1]!.replace(/\\(.)/g, '$1') });
    else if ((match = /^\[\s*(\d+)\s*\]/.exec(rest))) steps.push({ kind: 'index', index: Number(match[1]) });
    else if ((match = /^\[\s*(\*|0:)\s*\]/.exec(rest))) steps.push({ kind: 'all' });
    else throw new InvalidConfigError(field, `unsupported JSONPath ${JSON.stringify(path)} at ${JSON.stringify(rest)} (use $.a.b, $['a'], $.a[0], $.a[0:])`);
    rest = rest.slice(match[0].length);
  }
  // The usual mapping, $.name: one property read.
  if (steps.length === 1 && steps[0]!.kind === 'member') {
    const name = steps[0]!.name;
    return (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined);
  }
  return (value) => walk(value, steps, 0);
}

function walk(value: unknown, steps: readonly Step[], from: number): unknown {
  let current = value;
  for (let i = from; i < steps.length; i++) {
    if (current === null || current === undefined) return undefined;
    const step = steps[i]!;
    if (step.kind === 'member') current = typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>)[step.name] : undefined;
    else if (step.kind === 'index') current = Array.isArray(current) ? current[step.index] : undefined;
    else {
      if (!Array.isArray(current)) return undefined;
      const values = current.map((element) => walk(element, steps, i + 1)).filter((v) => v !== undefined);
      return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
    }
  }
  return current;
}
