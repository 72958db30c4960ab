import { DURATION_PATTERN, parseDuration } from '../../journeys/duration';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 15 * 60_000],
    ['2h', 2 * 3_600_000],
    ['3d', 3 * 86_400_000],
    ['1w', 7 * 86_400_000],
    ['0s', 0],
    ['182d', 182 * 86_400_000],
    ['007m', 7 * 60_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('agrees across units', () => {
    expect(parseDuration('60s')).toBe(parseDuration('1m'));
    expect(parseDuration('60m')).toBe(parseDuration('1h'));
    expect(parseDuration('24h')).toBe(parseDuration('1d'));
    expect(parseDuration('7d')).toBe(parseDuration('1w'));
  });

  it.each([
    '',
    '3',
    'd',
    '3 d',
    ' 3d',
    '3d ',
    '3D',
    '1.5h',
    '-1d',
    '+1d',
    '3ms',
    '3y',
    '1h30m',
    '3days',
    'abc',
  ])('throws on %j and the pattern rejects it', (text) => {
    expect(DURATION_PATTERN.test(text)).toBe(false);
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });
});
