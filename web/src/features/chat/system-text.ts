import type { ChatMessage } from '../../lib/api/types';

/** Who reads the chat: the signed-in side, id and display name. */
export interface Viewer {
  userType: 'dispatcher' | 'driver';
  id: number;
  name: string;
}

/**
 * A line the server wrote (a system line, a counter-offer card's note) as its reader should see it. The server stores one audit text for both sides, written in the third
 * person ("Dan countered at $2,600."); the person it is about reads it in the second ("You countered at $2,600.").
 * English past tenses don't change with the person, so swapping the name for "you" is enough. Only the text's own
 * actor (sender_type and sender_id) or the conversation's driver is ever addressed, and only when the name in the
 * text is exactly theirs: a text that doesn't match is shown as stored.
 */
export function systemText(m: Pick<ChatMessage, 'message'> & Partial<Pick<ChatMessage, 'sender_type' | 'sender_id' | 'driver_id'>>, viewer: Viewer): string {
  const text = m.message;
  const name = viewer.name.trim();
  if (!name) return text;
  const isActor = m.sender_type === viewer.userType && m.sender_id === viewer.id;
  const isDriver = viewer.userType === 'driver' && m.driver_id === viewer.id;

  const sent = /^Offer sent to (.+) by (.+)\.$/.exec(text);
  if (sent) {
    const to = isDriver && sent[1] === name ? 'you' : sent[1];
    const by = isActor && sent[2] === name ? 'you' : sent[2];
    return `Offer sent to ${to} by ${by}.`;
  }
  const booked = /^Load booked with (.+?) at (.+)$/.exec(text);
  if (booked) {
    return isDriver && booked[1] === name ? `Load booked with you at ${booked[2]}` : text;
  }
  // A counter-offer card's note is the one present tense the server writes.
  if (isActor && text.startsWith(`${name} proposes `)) {
    return `You propose ${text.slice(name.length + ' proposes '.length)}`;
  }
  if (isActor && text.startsWith(`${name} `)) {
    return `You ${text.slice(name.length + 1)}`;
  }
  return text;
}
