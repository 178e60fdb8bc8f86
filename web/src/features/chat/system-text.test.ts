import { describe, expect, it } from 'vitest';
import { systemText, type Viewer } from './system-text';

const dan: Viewer = { userType: 'driver', id: 7, name: 'Dan Ruiz' };
const carl: Viewer = { userType: 'dispatcher', id: 3, name: 'Carl Banks' };
const manager: Viewer = { userType: 'dispatcher', id: 4, name: 'Vlad Ko' };
const line = (message: string, sender_type: 'driver' | 'dispatcher', sender_id: number, driver_id = 7) => ({ message, sender_type, sender_id, driver_id });

describe('systemText', () => {
  it('addresses the actor of a line in the second person', () => {
    expect(systemText(line('Dan Ruiz countered at $2,600.00.', 'driver', 7), dan)).toBe('You countered at $2,600.00.');
    expect(systemText(line('Dan Ruiz viewed the offer.', 'driver', 7), dan)).toBe('You viewed the offer.');
    expect(systemText(line('Carl Banks cancelled this offer.', 'dispatcher', 3), carl)).toBe('You cancelled this offer.');
    expect(systemText(line('Carl Banks countered back at $2,500.00.', 'dispatcher', 3), carl)).toBe('You countered back at $2,500.00.');
  });

  it("puts the actor's own counter-offer note in the first person", () => {
    expect(systemText(line('Dan Ruiz proposes $2,800.00.', 'driver', 7), dan)).toBe('You propose $2,800.00.');
    expect(systemText(line('Dan Ruiz proposes $2,800.00.', 'driver', 7), carl)).toBe('Dan Ruiz proposes $2,800.00.');
  });

  it('leaves lines about someone else as stored', () => {
    expect(systemText(line('Dan Ruiz countered at $2,600.00.', 'driver', 7), carl)).toBe('Dan Ruiz countered at $2,600.00.');
    expect(systemText(line('Carl Banks cancelled this offer.', 'dispatcher', 3), manager)).toBe('Carl Banks cancelled this offer.');
    expect(systemText(line('Carl Banks cancelled this offer.', 'dispatcher', 3), dan)).toBe('Carl Banks cancelled this offer.');
  });

  it('names both parties of an invitation from where each reads it', () => {
    const sent = line('Offer sent to Dan Ruiz by Carl Banks.', 'dispatcher', 3);
    expect(systemText(sent, dan)).toBe('Offer sent to you by Carl Banks.');
    expect(systemText(sent, carl)).toBe('Offer sent to Dan Ruiz by you.');
    expect(systemText(sent, manager)).toBe('Offer sent to Dan Ruiz by Carl Banks.');
  });

  it('tells the booked driver the load is booked with them', () => {
    const booked = line('Load booked with Dan Ruiz at $2,550.00.', 'dispatcher', 3);
    expect(systemText(booked, dan)).toBe('Load booked with you at $2,550.00.');
    expect(systemText(booked, carl)).toBe('Load booked with Dan Ruiz at $2,550.00.');
  });

  it('needs the exact name and the same sender: a namesake or a name that changed reads as stored', () => {
    const otherDan = { ...dan, id: 8 };
    expect(systemText(line('Dan Ruiz declined the offer.', 'driver', 7), otherDan)).toBe('Dan Ruiz declined the offer.');
    expect(systemText(line('Dan R. declined the offer.', 'driver', 7), dan)).toBe('Dan R. declined the offer.');
    expect(systemText(line('Dan Ruizza declined the offer.', 'driver', 7), dan)).toBe('Dan Ruizza declined the offer.');
    expect(systemText(line('Offer sent to Dan Ruiz by Carl Banks.', 'dispatcher', 3, 9), { ...dan, id: 9, name: 'Other' })).toBe(
      'Offer sent to Dan Ruiz by Carl Banks.',
    );
  });
});
