import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import { RealtimeConnection } from './connection';
import { stayJoined, type JoinResponse } from './hub-methods';

/** A hub that records what is invoked on it and can be dropped and re-established by hand. */
class RecordingHub {
  state = HubConnectionState.Disconnected;
  calls: string[] = [];
  private reconnected: Array<() => void> = [];
  async start() {
    this.state = HubConnectionState.Connected;
  }
  async stop() {
    this.state = HubConnectionState.Disconnected;
  }
  onreconnecting() {}
  onreconnected(h: () => void) { this.reconnected.push(h); }
  onclose() {}
  async invoke(method: string, arg: { offer_id: number; driver_id: number }) {
    this.calls.push(`${method} ${arg.offer_id}/${arg.driver_id}`);
    return { offer_id: arg.offer_id, driver_id: arg.driver_id, counterpart: { user_type: 'dispatcher', id: 3, is_online: true, last_seen: null } };
  }
  reconnect() {
    this.state = HubConnectionState.Connected;
    this.reconnected.forEach((h) => h());
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('stayJoined', () => {
  beforeEach(() => {
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('navigator', { onLine: true });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('joins a conversation opened before the hub was up as soon as it connects, and again after each reconnect', async () => {
    const hub = new RecordingHub();
    const c = new RealtimeConnection(() => 't', () => hub as unknown as HubConnection);
    const joined: JoinResponse[] = [];
    const leave = stayJoined(c, 7, 107, (j) => joined.push(j));
    expect(hub.calls).toEqual([]);

    c.start();
    await settle();
    expect(hub.calls).toEqual(['join_offer_chat 7/107']);
    expect(joined[0]?.counterpart.is_online).toBe(true);

    hub.reconnect();
    await settle();
    expect(hub.calls).toEqual(['join_offer_chat 7/107', 'join_offer_chat 7/107']);

    leave();
    await settle();
    hub.reconnect();
    await settle();
    expect(hub.calls).toEqual(['join_offer_chat 7/107', 'join_offer_chat 7/107', 'leave_offer_chat 7/107']);
    await c.stop();
  });

  it('joins at once when the hub is already connected', async () => {
    const hub = new RecordingHub();
    const c = new RealtimeConnection(() => 't', () => hub as unknown as HubConnection);
    c.start();
    await settle();
    const leave = stayJoined(c, 8, 120, () => undefined);
    await settle();
    expect(hub.calls).toEqual(['join_offer_chat 8/120']);
    leave();
    await c.stop();
  });
});
