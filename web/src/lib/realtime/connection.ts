import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';
import { createStore } from '../store';
import { backoffDelay } from './backoff';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** What the connection indicator shows. */
export const connectionStatus = createStore<ConnectionStatus>('connecting');

export const HUB_PATH = '/hubs/offers';

/**
 * The app's ONE hub connection. It retries forever with backoff (the built-in reconnect gives up after a while
 * only when told to; ours never does) and reports every re-established connection so callers can catch up.
 */
export class RealtimeConnection {
  readonly hub: HubConnection;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private readonly reconnectedHandlers = new Set<() => void>();

  constructor(getToken: () => string | null) {
    this.hub = new HubConnectionBuilder()
      .withUrl(HUB_PATH, { accessTokenFactory: () => getToken() ?? '' })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => backoffDelay(ctx.previousRetryCount) })
      .configureLogging(LogLevel.None)
      .build();
    this.hub.serverTimeoutInMilliseconds = 20_000;
    this.hub.keepAliveIntervalInMilliseconds = 10_000;
    this.hub.onreconnecting(() => connectionStatus.set(navigator.onLine ? 'reconnecting' : 'offline'));
    this.hub.onreconnected(() => {
      connectionStatus.set('connected');
      this.reconnectedHandlers.forEach((h) => h());
    });
    this.hub.onclose(() => {
      if (!this.stopped) this.scheduleStart();
    });
    window.addEventListener('offline', this.handleOffline);
    window.addEventListener('online', this.handleOnline);
  }

  start(): void {
    this.stopped = false;
    void this.tryStart(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    window.removeEventListener('offline', this.handleOffline);
    window.removeEventListener('online', this.handleOnline);
    await this.hub.stop();
  }

  /** Called after every reconnect (and when the browser comes back online): time to catch up. */
  onReconnected(handler: () => void): () => void {
    this.reconnectedHandlers.add(handler);
    return () => this.reconnectedHandlers.delete(handler);
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
      connectionStatus.set('connected');
      if (isRestart) this.reconnectedHandlers.forEach((h) => h());
    } catch {
      if (!this.stopped) this.scheduleStart();
    }
  }

  private scheduleStart(): void {
    clearTimeout(this.retryTimer);
    connectionStatus.set(navigator.onLine ? 'reconnecting' : 'offline');
    this.attempts += 1;
    this.retryTimer = setTimeout(() => void this.tryStart(true), Math.max(1000, backoffDelay(this.attempts)));
  }

  private readonly handleOffline = () => connectionStatus.set('offline');

  private readonly handleOnline = () => {
    if (this.hub.state === HubConnectionState.Connected) {
      // The socket survived the outage, but events may have been lost on the way: catch up anyway.
      connectionStatus.set('connected');
      this.reconnectedHandlers.forEach((h) => h());
    } else if (this.hub.state === HubConnectionState.Disconnected) {
      clearTimeout(this.retryTimer);
      void this.tryStart(true);
    } else {
      connectionStatus.set('reconnecting');
    }
  };
}
