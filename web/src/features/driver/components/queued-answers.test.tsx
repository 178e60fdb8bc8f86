import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { QueuedAnswerList } from './queued-answers';
import type { QueuedResponse } from '../hooks/response-queue';

const answer = (key: string, over: Partial<QueuedResponse>): QueuedResponse => ({
  key, offer_id: 9, proposal_id: 70, action: 'accept', rate: 2500, queued_at: '2026-11-27T17:00:00Z', ...over,
});

/** The text inside the element with this role, tags stripped. */
function region(html: string, role: 'status' | 'alert'): string | null {
  const m = new RegExp(`<div role="${role}"[^>]*>(.*?)</div>`).exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() : null;
}

describe('QueuedAnswerList', () => {
  it('keeps both live regions on the page while nothing waits, so the first news in them is announced', () => {
    const html = renderToStaticMarkup(<QueuedAnswerList items={[]} onDismiss={() => {}} />);
    expect(region(html, 'status')).toBe('');
    expect(region(html, 'alert')).toBe('');
  });

  it('announces a refused answer as an alert, with why, and a waiting one politely', () => {
    const html = renderToStaticMarkup(
      <QueuedAnswerList
        items={[answer('a', { failed: 'The rate changed to $2,300.00.' }), answer('b', { action: 'counter', rate: 2700 })]}
        onDismiss={() => {}}
      />,
    );
    expect(region(html, 'alert')).toBe('Accept $2,500 — not sent: The rate changed to $2,300.00. Dismiss');
    expect(region(html, 'status')).toBe('Counter $2,700 — waiting for a connection, sends automatically');
  });

  it("shows a waiting decline's reason with it, since the reason reaches the chat only after the decline", () => {
    const html = renderToStaticMarkup(
      <QueuedAnswerList items={[answer('a', { action: 'reject', rate: undefined, reason: { client_message_id: 'c-1', text: 'Too far' } })]} onDismiss={() => {}} />,
    );
    expect(region(html, 'status')).toBe('Decline (Too far) — waiting for a connection, sends automatically');
  });
});
