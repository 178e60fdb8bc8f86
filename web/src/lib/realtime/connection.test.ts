import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import { RealtimeConnection, connectionStatus } from './connection';

/** Just enough of a HubConnection to drive the states by hand. */
class FakeHub {
  state = HubConnectionState.Disconnected;
  failStarts = 0;
  starts = 0;
  private closed: Array<(error?: Error) => void> = [];
  private reconnected: Array<() => void> = [];
  private reconnecting: Array<() => void> = [];
  async start() {
    this.starts++;
    if (this.failStarts > 0) {
      this.failStarts--;
      throw new Error('hub is down');
    }
    this.state = HubConnectionState.Connected;
  }
  async stop() {
    this.state = HubConnectionState.Disconnected;
  }
  onreconnecting(h: () => void) { this.reconnecting.push(h); }
  onreconnected(h: () => void) { this.reconnected.push(h); }
  onclose(h: (error?: Error) => void) { this.closed.push(h); }
  /** What the JS client does when the server closes the connection with an error. */
  closeWith(error: Error) {
    this.state = HubConnectionState.Disconnected;
    this.closed.forEach((h) => h(error));
  }
  async invoke(method: string) { return method; }
  dropAndReconnect() {
    this.state = HubConnectionState.Reconnecting;
    this.reconnecting.forEach((h) => h());
    this.state = HubConnectionState.Connected;
    this.reconnected.forEach((h) => h());
  }
}

function connect(hub: FakeHub) {
  return new RealtimeConnection(() => 'token', () => hub as unknown as HubConnection);
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('RealtimeConnection.onLive', () => {
  beforeEach(() => {
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('navigator', { onLine: true });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('fires on the first connect, not only on reconnects', async () => {
    const hub = new FakeHub();
    const c = connect(hub);
    let live = 0;
    c.onLive(() => live++);
    c.start();
    await settle();
    expect(live).toBe(1);
    expect(connectionStatus.get()).toBe('connected');
    await c.stop();
  });

  it('fires again on every reconnect and when the browser comes back online with the socket intact', async () => {
    const hub = new FakeHub();
    const c = connect(hub);
    let live = 0;
    c.onLive(() => live++);
    c.start();
    await settle();
    hub.dropAndReconnect();
    window.dispatchEvent(new Event('online'));
    expect(live).toBe(3);
    await c.stop();
  });

  it('runs a handler at once when it subscribes to a connection that is already live', async () => {
    const hub = new FakeHub();
    const c = connect(hub);
    c.start();
    await settle();
    const handler = vi.fn();
    c.onLive(handler);
    expect(handler).toHaveBeenCalledTimes(1);
    await c.stop();
  });

  it('fires once the hub comes up when the first start failed, and stops firing after unsubscribe', async () => {
    vi.useFakeTimers();
    const hub = new FakeHub();
    hub.failStarts = 1;
    const c = connect(hub);
    const handler = vi.fn();
    const stop = c.onLive(handler);
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(handler).not.toHaveBeenCalled();
    expect(connectionStatus.get()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(handler).toHaveBeenCalledTimes(1);
    stop();
    hub.dropAndReconnect();
    expect(handler).toHaveBeenCalledTimes(1);
    await c.stop();
  });

  it('keeps notifying the others when one subscriber throws', async () => {
    const hub = new FakeHub();
    const c = connect(hub);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const after = vi.fn();
    c.onLive(() => {
      throw new Error('boom');
    });
    c.onLive(after);
    c.start();
    await settle();
    expect(after).toHaveBeenCalledTimes(1);
    expect(connectionStatus.get()).toBe('connected');
    errors.mockRestore();
    await c.stop();
  });
});

describe('RealtimeConnection refused for too many connections', () => {
  const refusal = new Error(
    'Server returned an error on close: Connection closed with an error. HubException: Too many connections: at most 20 open at once per person. Close another tab or device.',
  );
  beforeEach(() => {
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('navigator', { onLine: true });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('says so and stops reconnecting until the person presses Retry', async () => {
    vi.useFakeTimers();
    const hub = new FakeHub();
    const c = connect(hub);
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    hub.closeWith(refusal);
    expect(connectionStatus.get()).toBe('refused');
    await vi.advanceTimersByTimeAsync(120_000);
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(hub.starts).toBe(1);
    expect(connectionStatus.get()).toBe('refused');

    c.retry();
    await vi.advanceTimersByTimeAsync(0);
    expect(hub.starts).toBe(2);
    expect(connectionStatus.get()).toBe('connected');
    await c.stop();
  });

  it('keeps reconnecting after any other close', async () => {
    vi.useFakeTimers();
    const hub = new FakeHub();
    const c = connect(hub);
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    hub.closeWith(new Error('WebSocket closed with status code: 1006'));
    expect(connectionStatus.get()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hub.starts).toBe(2);
    expect(connectionStatus.get()).toBe('connected');
    await c.stop();
  });
});
