import { EvaluationError } from '../errors/EvaluationError';

/** A SQL LIKE pattern (`%` any run, `_` one character, optional one-character escape) as an anchored RegExp. */
export function likePattern(pattern: string, escape?: string): RegExp {
  if (escape !== undefined && escape.length !== 1) throw new EvaluationError('InvalidArgument', `LIKE ESCAPE must be one character, got '${escape}'`);
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (escape !== undefined && ch === escape) {
      const next = pattern[++i];
      if (next === undefined) throw new EvaluationError('InvalidArgument', `LIKE pattern '${pattern}' ends with its escape character`);
      source += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
