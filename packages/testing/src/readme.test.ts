import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_CONFIG_DEFAULTS, TEST_CREDENTIALS } from './aws/clientConfig';
import { FAULT_PROXY_DEFAULTS } from './fault/FaultProxy';
import { WAIT_FOR_DEFAULTS } from './helpers/waitFor';
import { KINESIS_MOCK_DEFAULTS } from './kinesisMock/KinesisMockOptions';
import { NOOP_LOGGER } from '@kinesis-toolkit/core';
import { POSTGRES_DEFAULTS } from './postgres/startPostgres';
import { SHARD_LIMIT_PROXY_DEFAULTS } from './shardlimits/ShardLimitProxyOptions';
import { LOCAL_STACK_DEFAULTS } from './stack/LocalStackOptions';
import { SYSTEM_CLOCK } from '@kinesis-toolkit/core';
import * as publicApi from './index';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** The rows of the option table under the heading that names `defaultsName`. */
function optionTable(defaultsName: string): Map<string, string> {
  const start = readme.indexOf(`(\`${defaultsName}\`)`);
  if (start < 0) throw new Error(`README has no option table for ${defaultsName}`);
  const rows = new Map<string, string>();
  for (const line of readme.slice(start).split('\n').slice(1)) {
    if (line.startsWith('###') || line.startsWith('## ')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    const option = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1];
    if (option !== undefined) rows.set(option, cells[2] ?? '');
  }
  return rows;
}

/** What a default cell of the README stands for. */
function valueOf(cell: string): unknown {
  const named: Record<string, unknown> = {
    '`NOOP_LOGGER`': NOOP_LOGGER,
    '`Math.random`': Math.random,
    '`TEST_CREDENTIALS`': TEST_CREDENTIALS,
    '`SYSTEM_CLOCK`': SYSTEM_CLOCK,
    '`true when running as root`': process.getuid?.() === 0,
  };
  if (cell in named) return named[cell];
  const literal = /^`(.*)`$/.exec(cell)?.[1];
  if (literal === undefined) throw new Error(`cannot read the default ${cell}`);
  return JSON.parse(literal.replace(/'/g, '"'));
}

describe('README', () => {
  it.each([
    ['LOCAL_STACK_DEFAULTS', LOCAL_STACK_DEFAULTS, []],
    ['KINESIS_MOCK_DEFAULTS', KINESIS_MOCK_DEFAULTS, []],
    ['POSTGRES_DEFAULTS', POSTGRES_DEFAULTS, []],
    ['FAULT_PROXY_DEFAULTS', FAULT_PROXY_DEFAULTS, ['target']],
    ['SHARD_LIMIT_PROXY_DEFAULTS', SHARD_LIMIT_PROXY_DEFAULTS, ['target']],
    ['CLIENT_CONFIG_DEFAULTS', CLIENT_CONFIG_DEFAULTS, []],
    ['WAIT_FOR_DEFAULTS', WAIT_FOR_DEFAULTS, ['signal']],
  ] as const)('documents every default of %s as it is', (name, defaults, withoutDefault) => {
    const table = optionTable(name);
    expect([...table.keys()].filter((option) => !(withoutDefault as readonly string[]).includes(option)).sort()).toEqual(
      Object.keys(defaults).sort(),
    );
    for (const [option, value] of Object.entries(defaults)) {
      expect([option, valueOf(table.get(option)!)]).toEqual([option, value]);
    }
  });

  it('mentions every public export', () => {
    expect(Object.keys(publicApi).filter((name) => !readme.includes(name))).toEqual([]);
  });
});
