import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../lib/api/types';
import { counterOfferIds } from './rate-cards';

let nextId = 0;
function m(sender_type: 'dispatcher' | 'driver', message_type: ChatMessage['message_type'], rate: number | null, message = ''): ChatMessage {
  return {
    id: ++nextId, offer_id: 1, driver_id: 107, sender_type, sender_id: sender_type === 'driver' ? 107 : 3, message, message_type,
    rate, is_read: false, read_at: null, created_at: '2026-11-25T18:00:00Z', client_message_id: null,
  };
}

describe('counterOfferIds', () => {
  it("finds the driver's counter whatever its wording, and not the driver's acceptance", () => {
    const sent = m('dispatcher', 'system', null, 'Offer sent to Dan by Carl.');
    const counter = m('driver', 'system', 2600, 'Dan wants more money: $2,600.');
    const back = m('dispatcher', 'rate_proposal', 2550, 'Meet me at 2550?');
    const accepted = m('driver', 'system', 2550, 'Dan accepted at $2,550.');
    const booked = m('driver', 'system', 2550, 'Load booked with Dan at $2,550.');
    expect([...counterOfferIds([sent, counter, back, accepted, booked], 2400)]).toEqual([counter.id, back.id]);
  });

  it('does not take text that mentions a counter for a counter-offer', () => {
    const text = m('driver', 'text', null, 'Can you counter at 2500?');
    const event = m('dispatcher', 'system', null, 'Carl countered nothing yet.');
    expect(counterOfferIds([text, event], 2400).size).toBe(0);
  });

  it('treats events from the dispatcher with a rate (a rate change, a booking) as events, and follows them', () => {
    const raised = m('dispatcher', 'system', 2500, 'Carl changed the rate to $2,500.');
    const accepted = m('driver', 'system', 2500, 'Dan accepted at $2,500.');
    const counter = m('driver', 'system', 2400, 'Dan countered at $2,400.');
    expect([...counterOfferIds([raised, accepted, counter], 2500)]).toEqual([counter.id]);
    expect([...counterOfferIds([raised, accepted], 2300)]).toEqual([]);
  });

  it('sees a second round of counters after the dispatcher counters back', () => {
    const c1 = m('driver', 'system', 2600);
    const back = m('dispatcher', 'rate_proposal', 2500);
    const c2 = m('driver', 'system', 2550);
    expect([...counterOfferIds([c1, back, c2], 2400)]).toEqual([c1.id, back.id, c2.id]);
  });
});
