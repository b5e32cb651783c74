import { join } from 'node:path';
import { NOOP_LOGGER } from '@kinesis-toolkit/core';
import { readMarkdownTable } from '../../../test/markdownTable';
import { WIRE_PROTOCOL_DEFAULTS } from './options/WireProtocolOptions';

describe('README', () => {
  it('the WireProtocolOptions table matches WIRE_PROTOCOL_DEFAULTS', () => {
    const rows = readMarkdownTable(join(__dirname, '..', 'README.md'), '`WireProtocolOptions` (`WIRE_PROTOCOL_DEFAULTS`)');
    const documented = Object.fromEntries(rows.map((row) => [row.option, row.default]));
    const described = (value: unknown): string => (value === NOOP_LOGGER ? 'NOOP_LOGGER' : typeof value === 'string' ? `'${value}'` : String(value));
    expect(documented).toEqual(Object.fromEntries(Object.entries(WIRE_PROTOCOL_DEFAULTS).map(([key, value]) => [key, described(value)])));
  });
});
