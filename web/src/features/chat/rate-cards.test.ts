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
  it("shows both sides' rate proposals as cards and every state change as an event, whatever the wording", () => {
    const sent = m('dispatcher', 'system', null, 'Offer sent to Dan by Carl.');
    const counter = m('driver', 'rate_proposal', 2600, 'Dan wants more money: $2,600.');
    const countered = m('driver', 'system', null, 'Dan countered at $2,600.');
    const back = m('dispatcher', 'rate_proposal', 2550, 'Meet me at 2550?');
    const accepted = m('driver', 'system', 2550, 'Dan accepted at $2,550.');
    const booked = m('dispatcher', 'system', 2550, 'Load booked with Dan at $2,550.');
    expect([...counterOfferIds([sent, counter, countered, back, accepted, booked])]).toEqual([counter.id, back.id]);
  });

  it('does not take text that mentions a counter for a counter-offer', () => {
    const text = m('driver', 'text', null, 'Can you counter at 2500?');
    const event = m('dispatcher', 'system', null, 'Carl countered nothing yet.');
    expect(counterOfferIds([text, event]).size).toBe(0);
  });

  it('ignores a rate proposal without a rate', () => {
    expect(counterOfferIds([m('driver', 'rate_proposal', null)]).size).toBe(0);
  });
});
