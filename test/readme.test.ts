import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveAggregateBuilderOptions } from '@kinesis-toolkit/aggregation';
import { PRODUCER_DEFAULTS } from '@kinesis-toolkit/kpl';
import { WORKER_DEFAULTS } from '@kinesis-toolkit/kcl';
import { CLOUDWATCH_METRICS_SINK_DEFAULTS } from '@kinesis-toolkit/metrics';
import { AGENT_METRICS, CONNECTOR_METRICS, KCL_METRICS, KPL_METRICS, type MetricDefinition } from '@kinesis-toolkit/core';
import { readMarkdownTable } from './markdownTable';

const root = join(__dirname, '..');

describe('README option tables match the resolved defaults', () => {
  it('AggregateBuilder', () => {
    const rows = readMarkdownTable(join(root, 'packages/aggregation/README.md'), '`AggregateBuilder` options');
    const documented = Object.fromEntries(rows.map((row) => [row.option, row.default]));
    const defaults = Object.fromEntries(Object.entries(resolveAggregateBuilderOptions()).map(([key, value]) => [key, String(value)]));
    expect(documented).toEqual(defaults);
  });

  it('KinesisProducer', () => {
    const rows = readMarkdownTable(join(root, 'packages/kpl/README.md'), 'Options');
    const documented = Object.fromEntries(rows.map((row) => [row.option, row.default]));
    // Functions and objects without a literal form are described in words.
    const described: Record<string, string> = { logger: 'no-op', clock: 'system clock', random: 'Math.random' };
    const expected = Object.fromEntries(
      Object.entries(PRODUCER_DEFAULTS).map(([key, value]) => [key, described[key] ?? (typeof value === 'object' ? JSON.stringify(value) : String(value))]),
    );
    expect(documented).toEqual(expected);
  });

  it('Worker', () => {
    const rows = readMarkdownTable(join(root, 'packages/kcl/README.md'), 'Options');
    const documented = Object.fromEntries(rows.map((row) => [row.option, row.default]));
    const described: Record<string, string> = { logger: 'no-op', clock: 'system clock', random: 'Math.random' };
    const expected = Object.fromEntries(Object.entries(WORKER_DEFAULTS).map(([key, value]) => [key, described[key] ?? String(value)]));
    expect(documented).toEqual(expected);
  });

  it('CloudWatchMetricsSink', () => {
    const rows = readMarkdownTable(join(root, 'packages/metrics/README.md'), '`CloudWatchMetricsSink` options');
    const documented = Object.fromEntries(rows.map((row) => [row.option, row.default]));
    const described: Record<string, string> = { logger: 'no-op', clock: 'system clock', random: 'Math.random' };
    const expected = Object.fromEntries(
      Object.entries(CLOUDWATCH_METRICS_SINK_DEFAULTS).map(([key, value]) => [key, described[key] ?? (typeof value === 'object' ? JSON.stringify(value) : String(value))]),
    );
    expect(documented).toEqual(expected);
  });
});

describe('README metric tables match the catalogs (names, units, levels, OpenTelemetry names)', () => {
  const expectedOf = (definition: MetricDefinition) => [definition.unit, definition.level, definition.otelName];
  const fromTable = (row: Record<string, string>) => [row.unit, row.level, /^`?([^`]+)`/.exec(row['OpenTelemetry instrument'] ?? '')?.[1]];
  it.each([
    ['packages/kpl/README.md', KPL_METRICS],
    ['packages/connector/README.md', CONNECTOR_METRICS],
    ['packages/agent/README.md', AGENT_METRICS],
  ] as const)('%s', (readme, catalog) => {
    const rows = readMarkdownTable(join(root, readme), 'Metrics');
    expect(Object.fromEntries(rows.map((row) => [row.metric, fromTable(row)]))).toEqual(Object.fromEntries(Object.entries(catalog).map(([name, definition]) => [name, expectedOf(definition)])));
  });

  it('packages/kcl/README.md', () => {
    const rows = readMarkdownTable(join(root, 'packages/kcl/README.md'), 'Metrics');
    const documented = rows.map((row) => [row.operation, row.metric, ...fromTable(row)]);
    const expected = Object.entries(KCL_METRICS).flatMap(([operation, metrics]) => Object.entries(metrics).map(([name, definition]) => [operation, name, ...expectedOf(definition as MetricDefinition)]));
    expect(documented).toEqual(expected);
  });
});

describe('the root README repeats each package README option table exactly', () => {
  const pairs: [rootHeading: string, packageReadme: string, packageHeading: string][] = [
    ['`KinesisProducer` options (`@kinesis-toolkit/kpl`)', 'packages/kpl/README.md', 'Options'],
    ['`Worker` options (`@kinesis-toolkit/kcl`)', 'packages/kcl/README.md', 'Options'],
    ['`createPipeline` options (`@kinesis-toolkit/connector`)', 'packages/connector/README.md', 'Pipeline options'],
    ['Buffer options (`@kinesis-toolkit/connector`)', 'packages/connector/README.md', 'Buffer options'],
    ['`AggregateBuilder` options (`@kinesis-toolkit/aggregation`)', 'packages/aggregation/README.md', '`AggregateBuilder` options'],
  ];
  it.each(pairs)('%s', (rootHeading, packageReadme, packageHeading) => {
    expect(readMarkdownTable(join(root, 'README.md'), rootHeading)).toEqual(readMarkdownTable(join(root, packageReadme), packageHeading));
  });
});


describe('README links', () => {
  // A published README must not send users to files outside the packages they get (e.g. the
  // project's ../shared/ notes): every relative link resolves to a file of this repository.
  const readmes = ['README.md', ...readdirSync(join(root, 'packages')).map((folder) => join('packages', folder, 'README.md')).filter((file) => existsSync(join(root, file)))];
  it.each(readmes)('%s links only to files of the repository', (readme) => {
    const text = readFileSync(join(root, readme), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/i.test(target));
    const outside = targets.filter((target) => {
      const resolved = resolve(join(root, dirname(readme)), target);
      return !resolved.startsWith(`${root}/`) || !existsSync(resolved);
    });
    expect(outside).toEqual([]);
  });
});
