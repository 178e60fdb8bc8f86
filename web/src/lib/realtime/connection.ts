import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';
import { createStore } from '../store';
import { backoffDelay } from './backoff';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

/** What the connection indicator shows. */
export const connectionStatus = createStore<ConnectionStatus>('connecting');

export const HUB_PATH = '/hubs/offers';

/**
 * The server refuses a person's connection past `Realtime:ConnectionsPerUser` (too many tabs or devices open): it
 * closes it right after the handshake with an error that starts "Too many connections" and tells the client not to
 * reconnect (docs/protocol.md). The JS client does not pass that flag on, only the error, so this reads the error.
 * Retrying by itself would only take a connection from another of the person's windows, or be refused again.
 */
export function isTooManyConnections(error: unknown): boolean {
  return error instanceof Error && error.message.includes('Too many connections');
}

function buildHub(getToken: () => string | null): HubConnection {
  const hub = new HubConnectionBuilder()
    .withUrl(HUB_PATH, { accessTokenFactory: () => getToken() ?? '' })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => backoffDelay(ctx.previousRetryCount) })
    .configureLogging(LogLevel.None)
    .build();
  hub.serverTimeoutInMilliseconds = 20_000;
  hub.keepAliveIntervalInMilliseconds = 10_000;
  return hub;
}

/**
 * The app's ONE hub connection. It retries forever with backoff (the built-in reconnect gives up after a while
 * only when told to; ours never does) and announces every time it becomes live — the first connect as much as
 * every reconnect — because hub groups don't survive a reconnect and events sent while down are gone: whoever
 * joins a group or catches up subscribes with `onLive`.
 */
export class RealtimeConnection {
  readonly hub: HubConnection;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private readonly liveHandlers = new Set<() => void>();

  constructor(getToken: () => string | null, createHub: (getToken: () => string | null) => HubConnection = buildHub) {
    this.hub = createHub(getToken);
    this.hub.onreconnecting(() => connectionStatus.set(navigator.onLine ? 'reconnecting' : 'offline'));
    this.hub.onreconnected(() => this.becameLive());
    this.hub.onclose((error) => {
      if (this.stopped) return;
      if (isTooManyConnections(error)) this.refused();
      else this.scheduleStart();
    });
    window.addEventListener('offline', this.handleOffline);
    window.addEventListener('online', this.handleOnline);
  }

  start(): void {
    this.stopped = false;
    void this.tryStart(false);
  }

  /** After a refusal: one more try, when the person says so (they closed another window). */
  retry(): void {
    if (this.stopped || this.hub.state !== HubConnectionState.Disconnected) return;
    clearTimeout(this.retryTimer);
    this.attempts = 0;
    void this.tryStart(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    window.removeEventListener('offline', this.handleOffline);
    window.removeEventListener('online', this.handleOnline);
    await this.hub.stop();
  }

  /**
   * Runs `handler` whenever the connection becomes live: the first connect, every reconnect, and when the browser
   * comes back online with the socket intact. If the connection is live already, it also runs now, so a subscriber
   * that mounts after the connect (a conversation opened later) doesn't wait for the next reconnect.
   */
  onLive(handler: () => void): () => void {
    this.liveHandlers.add(handler);
    if (this.isConnected) handler();
    return () => this.liveHandlers.delete(handler);
  }

  get isConnected(): boolean {
    return this.hub.state === HubConnectionState.Connected;
  }

  /** Invokes a hub method when connected; otherwise (or on failure) resolves to undefined. For best-effort calls. */
  async tryInvoke<T = unknown>(method: string, ...args: unknown[]): Promise<T | undefined> {
    if (!this.isConnected) return undefined;
    try {
      return await this.hub.invoke<T>(method, ...args);
    } catch {
      return undefined;
    }
  }

  private async tryStart(isRestart: boolean): Promise<void> {
    if (this.stopped || this.hub.state !== HubConnectionState.Disconnected) return;
    connectionStatus.set(isRestart ? (navigator.onLine ? 'reconnecting' : 'offline') : 'connecting');
    try {
      await this.hub.start();
      this.attempts = 0;
      this.becameLive();
    } catch (error) {
      if (this.stopped) return;
      // The refusal can arrive with the handshake, failing the start itself.
      if (isTooManyConnections(error)) this.refused();
      else this.scheduleStart();
    }
  }

  private refused(): void {
    clearTimeout(this.retryTimer);
    connectionStatus.set('refused');
  }

  private becameLive(): void {
    connectionStatus.set('connected');
    // One failing subscriber must not keep the others from joining or catching up.
    this.liveHandlers.forEach((h) => {
      try {
        h();
      } catch (err) {
        console.error(err);
      }
    });
  }

  private scheduleStart(): void {
    clearTimeout(this.retryTimer);
    connectionStatus.set(navigator.onLine ? 'reconnecting' : 'offline');
    this.attempts += 1;
    this.retryTimer = setTimeout(() => void this.tryStart(true), Math.max(1000, backoffDelay(this.attempts)));
  }

  private readonly handleOffline = () => {
    if (connectionStatus.get() !== 'refused') connectionStatus.set('offline');
  };

  private readonly handleOnline = () => {
    // Coming back online does not make room: only the person closing a window does.
    if (connectionStatus.get() === 'refused') return;
    if (this.hub.state === HubConnectionState.Connected) {
      // The socket survived the outage, but events may have been lost on the way: catch up anyway.
      this.becameLive();
    } else if (this.hub.state === HubConnectionState.Disconnected) {
      clearTimeout(this.retryTimer);
      void this.tryStart(true);
    } else {
      connectionStatus.set('reconnecting');
    }
  };
}
