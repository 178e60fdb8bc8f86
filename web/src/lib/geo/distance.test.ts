import { describe, expect, it } from 'vitest';
import { greatCircleMiles, ratePerMile, roadMiles } from './distance';

const rockford = { lat: 42.2711, lon: -89.094 };
const dallas = { lat: 32.7767, lon: -96.797 };

describe('distance', () => {
  it('measures great-circle miles and applies the road factor the server uses (1.17)', () => {
    const gc = greatCircleMiles(rockford, dallas);
    expect(gc).toBeGreaterThan(770);
    expect(gc).toBeLessThan(790);
    expect(roadMiles(rockford, dallas)).toBe(Math.round(gc * 1.17));
    expect(roadMiles(rockford, rockford)).toBe(0);
  });

  it('computes rate per mile with cents, and nothing for a missing or zero distance', () => {
    expect(ratePerMile(2500, 912)).toBe(2.74);
    expect(ratePerMile(1000, 3)).toBe(333.33);
    expect(ratePerMile(2500, 0)).toBeNull();
    expect(ratePerMile(2500, null)).toBeNull();
    expect(ratePerMile(null, 100)).toBeNull();
    expect(ratePerMile(Number.NaN, 100)).toBeNull();
  });
});
