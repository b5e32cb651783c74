import { InvalidArgumentError, NOOP_LOGGER } from '@kinesis-toolkit/core';
import { resolveWireProtocolOptions, WIRE_PROTOCOL_DEFAULTS } from './WireProtocolOptions';

describe('resolveWireProtocolOptions', () => {
  it('applies the defaults into a frozen config', () => {
    const config = resolveWireProtocolOptions();
    expect(config).toEqual({ wireProtocol: 'auto', logger: NOOP_LOGGER });
    expect(Object.isFrozen(config)).toBe(true);
    expect(WIRE_PROTOCOL_DEFAULTS.wireProtocol).toBe('auto');
  });

  it.each([
    [{ wireProtocol: 'CBOR' }, 'wireProtocol: expected one of "auto", "cbor", "json", got "CBOR"'],
    [{ wireProtocl: 'cbor' }, 'WireProtocolOptions.wireProtocl: expected no such option — did you mean "wireProtocol"?'],
    [{ logger: 'console' }, 'logger: expected an object'],
  ])('rejects %j', (options, message) => {
    expect(() => resolveWireProtocolOptions(options as never)).toThrow(InvalidArgumentError);
    expect(() => resolveWireProtocolOptions(options as never)).toThrow(message);
  });
});
