import { describe, expect, it } from 'vitest';
import { bookQuestion, cancelQuestion, invitedCount } from './confirm-questions';

describe('bookQuestion', () => {
  it('names the driver, the exact rate and how many other drivers lose the load', () => {
    const q = bookQuestion('Nwee Ler', 2800, 5);
    expect(`${q.title} ${q.body}`).toBe('Book Nwee Ler at $2,800.00? The other 4 drivers will be told the load is taken.');
    expect(q.confirmLabel).toBe('Book Nwee Ler');
    expect(q.danger).toBeFalsy();
  });

  it('speaks of one other driver in the singular and of none when the booked driver was the only one', () => {
    expect(bookQuestion('Nwee Ler', 2800, 2).body).toBe('The other driver will be told the load is taken.');
    expect(bookQuestion('Nwee Ler', 2800, 1).body).toBe('No other driver has this offer.');
  });

  it('says when booking accepts a counter-offer, with the cents of the counter', () => {
    const q = bookQuestion('Nwee Ler', 2712.5, 3, true);
    expect(q.title).toBe('Book Nwee Ler at $2,712.50?');
    expect(q.body).toBe('This accepts their counter-offer. The other 2 drivers will be told the load is taken.');
  });
});

describe('cancelQuestion', () => {
  const offer = { id: 12, pickup_location: 'Rockford, IL', delivery_location: 'Dallas, TX' };

  it('names the offer and its route, who is told, and that it is final', () => {
    const q = cancelQuestion(offer, 5);
    expect(q.title).toBe('Cancel offer #12 (Rockford, IL → Dallas, TX)?');
    expect(q.body).toBe("The 5 drivers invited will be told it is cancelled, and their chats close. This can't be undone.");
    expect(q.danger).toBe(true);
    expect([q.confirmLabel, q.cancelLabel]).toEqual(['Cancel offer', 'Keep offer']);
  });

  it('fits one invited driver and none', () => {
    expect(cancelQuestion(offer, 1).body).toBe("The invited driver will be told it is cancelled, and the chat closes. This can't be undone.");
    expect(cancelQuestion(offer, 0).body).toBe("It was not sent to any driver yet. This can't be undone.");
  });
});

describe('invitedCount', () => {
  const counters = { total: 5, sent: 5, viewed: 0, accepted: 0, rejected: 0, counter_offered: 0 };
  it("takes the offer's counters while the drivers list is still loading", () => {
    expect(invitedCount({ counters }, 0)).toBe(5);
  });
  it('takes the drivers list when it is further along than the counters', () => {
    expect(invitedCount({ counters }, 7)).toBe(7);
    expect(invitedCount({ counters: null }, 2)).toBe(2);
  });
});
