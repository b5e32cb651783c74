/** CloudWatch units an EMF MetricDefinition may name. */
export const EMF_UNITS: ReadonlySet<string> = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count',
  'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

/** Limits the validator checks; the defaults are CloudWatch's. */
export interface EmfValidationOptions {
  /** Largest document, in bytes of UTF-8. @defaultValue 262144 (a CloudWatch Logs event) */
  readonly maxBytes?: number;
  /** Most keys in a DimensionSet. @defaultValue 30 (CloudWatch's dimensions per metric) */
  readonly maxDimensionKeys?: number;
  /**
   * The earliest `Timestamp` taken as epoch milliseconds. The specification only says "milliseconds
   * after Jan 1, 1970"; an earlier value is almost surely seconds, or a clock of its own (such as
   * `performance.now()`) that would post 1970 dates. @defaultValue 946684800000 (2000-01-01)
   */
  readonly minTimestampMs?: number;
}

const METRIC_DEFINITION_MEMBERS = new Set(['Name', 'Unit', 'StorageResolution']);

/**
 * Checks one CloudWatch embedded metric format document (a log line) against the rules of the EMF
 * specification, and returns what breaks them — an empty list for a valid document:
 *
 * - the line is one JSON object, nothing before or after it, within the size limit;
 * - its root has `_aws`, an object with `Timestamp` (an integer of epoch milliseconds) and
 *   `CloudWatchMetrics`, an array of MetricDirectives;
 * - each directive has exactly `Namespace` (a string of 1–255 characters), `Dimensions` (a non-empty
 *   array of DimensionSets) and `Metrics` (at most 100 MetricDefinitions);
 * - each DimensionSet is an array of at most 30 strings (it may be empty), each naming a root
 *   member whose value is a string;
 * - each MetricDefinition has `Name` (1–255 characters) naming a root member whose value is a number
 *   or an array of at most 100 numbers, and an optional `Unit` among CloudWatch's units.
 */
export function validateEmf(line: string, options: EmfValidationOptions = {}): string[] {
  const problems: string[] = [];
  const maxBytes = options.maxBytes ?? 262_144;
  const maxDimensionKeys = options.maxDimensionKeys ?? 30;
  const minTimestampMs = options.minTimestampMs ?? Date.UTC(2000, 0, 1);
  if (Buffer.byteLength(line, 'utf8') > maxBytes) problems.push(`the document is ${Buffer.byteLength(line, 'utf8')} bytes, over ${maxBytes}`);
  let root: unknown;
  try {
    root = JSON.parse(line);
  } catch (error) {
    return [...problems, `not one JSON value: ${(error as Error).message}`];
  }
  if (!isObject(root)) return [...problems, 'the root is not a JSON object'];
  const aws = root._aws;
  if (!isObject(aws)) return [...problems, '_aws: missing, or not an object'];
  const timestamp = aws.Timestamp;
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp)) problems.push(`_aws.Timestamp: expected an integer of epoch milliseconds, got ${JSON.stringify(timestamp)}`);
  else if (timestamp < minTimestampMs) problems.push(`_aws.Timestamp: ${timestamp} is ${new Date(timestamp).toISOString()}, not epoch milliseconds of a real date`);
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives)) return [...problems, '_aws.CloudWatchMetrics: missing, or not an array'];
  directives.forEach((directive: unknown, d) => {
    const at = `_aws.CloudWatchMetrics[${d}]`;
    if (!isObject(directive)) {
      problems.push(`${at}: not an object`);
      return;
    }
    for (const member of Object.keys(directive)) if (!['Namespace', 'Dimensions', 'Metrics'].includes(member)) problems.push(`${at}: unknown member ${member}`);
    const namespace = directive.Namespace;
    if (typeof namespace !== 'string' || namespace.length < 1 || namespace.length > 255) problems.push(`${at}.Namespace: expected a string of 1 to 255 characters, got ${JSON.stringify(namespace)}`);
    const dimensionSets = directive.Dimensions;
    if (!Array.isArray(dimensionSets) || dimensionSets.length === 0) problems.push(`${at}.Dimensions: expected a non-empty array of DimensionSets, got ${JSON.stringify(dimensionSets)}`);
    else {
      dimensionSets.forEach((set: unknown, s) => {
        const setAt = `${at}.Dimensions[${s}]`;
        if (!Array.isArray(set)) {
          problems.push(`${setAt}: not an array`);
          return;
        }
        if (set.length > maxDimensionKeys) problems.push(`${setAt}: ${set.length} dimension keys, over ${maxDimensionKeys}`);
        for (const key of set as unknown[]) {
          if (typeof key !== 'string' || key.length < 1 || key.length > 255) problems.push(`${setAt}: a dimension key must be a string of 1 to 255 characters, got ${JSON.stringify(key)}`);
          else if (!(key in root)) problems.push(`${setAt}: dimension ${key} is not a member of the root`);
          else if (typeof root[key] !== 'string') problems.push(`${setAt}: dimension ${key} must have a string value, got ${JSON.stringify(root[key])}`);
        }
      });
    }
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics)) {
      problems.push(`${at}.Metrics: missing, or not an array`);
      return;
    }
    if (metrics.length > 100) problems.push(`${at}.Metrics: ${metrics.length} MetricDefinitions, over 100`);
    metrics.forEach((metric: unknown, m) => {
      const metricAt = `${at}.Metrics[${m}]`;
      if (!isObject(metric)) {
        problems.push(`${metricAt}: not an object`);
        return;
      }
      for (const member of Object.keys(metric)) if (!METRIC_DEFINITION_MEMBERS.has(member)) problems.push(`${metricAt}: unknown member ${member}`);
      const name = metric.Name;
      if (typeof name !== 'string' || name.length < 1 || name.length > 255) {
        problems.push(`${metricAt}.Name: expected a string of 1 to 255 characters, got ${JSON.stringify(name)}`);
        return;
      }
      if (metric.Unit !== undefined && (typeof metric.Unit !== 'string' || !EMF_UNITS.has(metric.Unit))) problems.push(`${metricAt}.Unit: ${JSON.stringify(metric.Unit)} is not a CloudWatch unit`);
      if (!(name in root)) {
        problems.push(`${metricAt}: metric ${name} is not a member of the root`);
        return;
      }
      const value = root[name];
      if (Array.isArray(value)) {
        if (value.length > 100) problems.push(`metric ${name}: ${value.length} values, over 100`);
        if (!value.every((item) => typeof item === 'number')) problems.push(`metric ${name}: every value must be a number`);
      } else if (typeof value !== 'number') problems.push(`metric ${name}: expected a number or an array of numbers, got ${JSON.stringify(value)}`);
    });
  });
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
