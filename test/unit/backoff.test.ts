import { backoffWithJitter } from '../../activities/deliver-event';

describe('backoffWithJitter', () => {
  const initial = 1_000;
  const max = 60_000;

  it('doubles the ceiling per attempt, with equal jitter in [ceiling/2, ceiling]', () => {
    for (let attempt = 1; attempt <= 6; attempt++) {
      const ceiling = initial * 2 ** (attempt - 1);
      expect(backoffWithJitter(attempt, initial, max, () => 0)).toBe(ceiling / 2);
      expect(backoffWithJitter(attempt, initial, max, () => 0.5)).toBe((ceiling * 3) / 4);
      expect(backoffWithJitter(attempt, initial, max, () => 0.999999)).toBeLessThanOrEqual(ceiling);
      expect(backoffWithJitter(attempt, initial, max, () => 0.999999)).toBeGreaterThan(ceiling * 0.99);
    }
  });

  it('stays within the bounds with the real random source', () => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      const ceiling = Math.min(max, initial * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const delay = backoffWithJitter(attempt, initial, max);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('spreads retries out (jitter is real)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffWithJitter(5, initial, max)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it('caps at the maximum, even for huge attempt numbers', () => {
    expect(backoffWithJitter(7, initial, max, () => 0)).toBe(30_000);
    expect(backoffWithJitter(8, initial, max, () => 0)).toBe(30_000);
    for (const attempt of [20, 100, 1_000, 5_000]) {
      const delay = backoffWithJitter(attempt, initial, max, () => 0.999999);
      expect(Number.isFinite(delay)).toBe(true);
      expect(delay).toBeLessThanOrEqual(max);
      expect(delay).toBeGreaterThanOrEqual(max / 2);
    }
  });

  it('treats attempt 0 or less like the first attempt', () => {
    expect(backoffWithJitter(0, initial, max, () => 0)).toBe(500);
    expect(backoffWithJitter(-3, initial, max, () => 1 - Number.EPSILON)).toBe(1_000);
  });
});
