import { SingleLineConverter } from './SingleLineConverter';

describe('SingleLineConverter', () => {
  it('trims every line and joins them without a separator, as the agent does', () => {
    expect(new SingleLineConverter().convert('  Exception: boom \n\tat a.b(C.java:1)\n   at d')).toBe('Exception: boomat a.b(C.java:1)at d');
  });

  it('leaves a single trimmed line as it is', () => {
    expect(new SingleLineConverter().convert('plain line')).toBe('plain line');
  });
});
