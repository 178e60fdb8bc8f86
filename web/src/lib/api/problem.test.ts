import { describe, expect, it } from 'vitest';
import { toApiError } from './problem';

describe('toApiError', () => {
  it('maps a 400 problem-details body to one message per form field', () => {
    const e = toApiError(400, {
      title: 'Some fields are not valid.',
      status: 400,
      errors: {
        proposed_rate: ['proposed_rate must be greater than 0.'],
        'driver_ids[2]': ['Truck 9999 does not exist or is not active.'],
        delivery_window_end: ['delivery_window_end must not be before delivery_window_start.', 'Another.'],
      },
    });
    expect(e.status).toBe(400);
    expect(e.message).toBe('Please correct the highlighted fields.');
    expect(e.fieldErrors).toEqual({
      proposed_rate: 'proposed_rate must be greater than 0.',
      driver_ids: 'Truck 9999 does not exist or is not active.',
      delivery_window_end: 'delivery_window_end must not be before delivery_window_start. Another.',
    });
  });

  it("uses the server's plain-language detail for conflicts and rate limits", () => {
    expect(toApiError(409, { detail: 'This load was booked by another driver; this chat is closed.' }).message).toBe(
      'This load was booked by another driver; this chat is closed.',
    );
    expect(toApiError(429, { title: 'Too many attempts', detail: 'Try again in 12 seconds.' }).message).toBe('Try again in 12 seconds.');
  });

  it('falls back to a plain sentence when the body is empty or not JSON', () => {
    expect(toApiError(0, null).message).toMatch(/Cannot reach the server/);
    expect(toApiError(404, null).message).toBe('Not found, or not available to you.');
    expect(toApiError(503, 'oops').message).toMatch(/went wrong on the server/);
  });
});
