import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { MessageItem } from './message-item';

const base = { message: 'Can you do 2,600?', message_type: 'text' as const, created_at: '2026-11-25T18:00:00Z', rate: null };

function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('MessageItem', () => {
  it('says why the server refused a message, in words next to Retry and Discard, not only in a tooltip', () => {
    const html = renderToStaticMarkup(
      <MessageItem message={base} mine state="failed" senderName="Nwee Ler" failedReason="This conversation is closed." onRetry={() => {}} onDiscard={() => {}} />,
    );
    expect(text(html)).toContain('Not sent: This conversation is closed.');
    expect(text(html)).toMatch(/Retry Discard$/);
  });

  it('still says the message was not sent when the refusal came without a reason', () => {
    const html = renderToStaticMarkup(<MessageItem message={base} mine state="failed" senderName="Nwee Ler" onRetry={() => {}} onDiscard={() => {}} />);
    expect(text(html)).toContain('Not sent');
  });

  it('offers only Discard for a message that cannot be sent again (its conversation closed)', () => {
    const html = renderToStaticMarkup(
      <MessageItem message={base} mine state="failed" senderName="Nwee Ler" failedReason="This offer was cancelled; its chat is closed." onDiscard={() => {}} />,
    );
    expect(text(html)).toMatch(/chat is closed\. Discard$/);
    expect(html).not.toContain('Retry');
  });
});
