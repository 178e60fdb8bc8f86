import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../lib/api/types';
import { counterEchoIds, counterOfferIds } from './rate-cards';

let nextId = 0;
function m(sender_type: 'dispatcher' | 'driver', message_type: ChatMessage['message_type'], rate: number | null, message = '', created_at = '2026-11-25T18:00:00Z'): ChatMessage {
  return {
    id: ++nextId, offer_id: 1, driver_id: 107, sender_type, sender_id: sender_type === 'driver' ? 107 : 3, message, message_type,
    rate, is_read: false, read_at: null, created_at, client_message_id: null,
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

describe('counterEchoIds', () => {
  it("leaves out the system line each counter writes after its card, on both sides' counters, and nothing else", () => {
    const sent = m('dispatcher', 'system', null, 'Offer sent to Dan by Carl.', '2026-11-25T18:00:00Z');
    const counter = m('driver', 'rate_proposal', 2600, 'Dan proposes $2,600.00.', '2026-11-25T18:01:00.1234567Z');
    const countered = m('driver', 'system', null, 'Dan countered at $2,600.00.', '2026-11-25T18:01:00.1234567Z');
    const text = m('dispatcher', 'text', null, 'Let me check.', '2026-11-25T18:02:00Z');
    const back = m('dispatcher', 'rate_proposal', 2550, 'Carl proposes $2,550.00.', '2026-11-25T18:03:00.5Z');
    const counteredBack = m('dispatcher', 'system', null, 'Carl countered back at $2,550.00.', '2026-11-25T18:03:00.5Z');
    const accepted = m('driver', 'system', 2550, 'Dan accepted at $2,550.00.', '2026-11-25T18:04:00Z');
    expect([...counterEchoIds([sent, counter, countered, text, back, counteredBack, accepted])]).toEqual([countered.id, counteredBack.id]);
  });

  it("keeps a system line that is another answer: the other side's, or a later one", () => {
    const counter = m('driver', 'rate_proposal', 2600, 'Dan proposes $2,600.00.', '2026-11-25T18:01:00Z');
    const cancelled = m('dispatcher', 'system', null, 'Carl cancelled the offer.', '2026-11-25T18:01:00Z');
    const counter2 = m('driver', 'rate_proposal', 2700, 'Dan proposes $2,700.00.', '2026-11-25T18:05:00Z');
    const viewedLater = m('driver', 'system', null, 'Dan viewed the offer.', '2026-11-25T18:06:00Z');
    expect(counterEchoIds([counter, cancelled, counter2, viewedLater]).size).toBe(0);
  });
});
