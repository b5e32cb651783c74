import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

// Every workspace package must load, from its built dist/, both through Node's ESM loader
// (named imports) and through require(), exposing the same names either way.
const root = join(__dirname, '..');
const packages = readdirSync(join(root, 'packages'))
  .map((folder) => join(root, 'packages', folder, 'package.json'))
  .filter(existsSync)
  .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { name: string; private?: boolean });

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

describe.each(packages.map((pkg) => pkg.name))('%s', (name) => {
  it('is importable from CommonJS and from ESM with the same named exports', () => {
    const cjs = JSON.parse(node(['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(name)})).filter((k) => k !== "__esModule").sort()))`])) as string[];
    const esm = JSON.parse(
      node(['--input-type=module', '-e', `import * as m from ${JSON.stringify(name)}; console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort()))`]),
    ) as string[];
    expect(cjs.length).toBeGreaterThan(0);
    expect(esm).toEqual(cjs);
  });
});

it('lets an ESM user import the aggregation codec by name and use it', () => {
  const out = node([
    '--input-type=module',
    '-e',
    `import { aggregate, deaggregate } from '@kinesis-toolkit/aggregation';
     const [agg] = aggregate([{ partitionKey: 'a1', data: Buffer.from('x') }, { partitionKey: 'a2', data: Buffer.from('y') }]);
     const { records } = deaggregate({ Data: agg.data, PartitionKey: agg.partitionKey, SequenceNumber: '1' });
     console.log(records.map((r) => r.partitionKey + '=' + r.data.toString()).join(','));`,
  ]);
  expect(out.trim()).toBe('a1=x,a2=y');
});
