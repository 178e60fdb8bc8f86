import { createStore } from './store';

export interface Toast {
  id: number;
  title: string;
  body?: string;
  tone: 'info' | 'success' | 'warning' | 'error';
  href?: string;
}

export const toasts = createStore<Toast[]>([]);
let nextId = 1;

export function toast(t: Omit<Toast, 'id'>, ms = 6000): void {
  const id = nextId++;
  toasts.set((list) => [...list.slice(-3), { ...t, id }]);
  setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
  toasts.set((list) => list.filter((t) => t.id !== id));
}

const PERMISSION_ASKED = 'driver-offers.notifications-asked';

/** Asks for browser notification permission once per browser, after a user gesture. */
export function askNotificationPermissionOnce(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  if (localStorage.getItem(PERMISSION_ASKED)) return;
  localStorage.setItem(PERMISSION_ASKED, '1');
  void Notification.requestPermission().catch(() => undefined);
}

/** A system notification, only when the tab is hidden (otherwise the toast says it). */
export function browserNotify(title: string, body: string, onClick?: () => void): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
  try {
    const n = new Notification(title, { body, tag: title });
    n.onclick = () => {
      window.focus();
      onClick?.();
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the toast and title still tell.
  }
}

let audio: AudioContext | null = null;

/** A short two-tone chime for accept, counter and booking. Synthesized: no sound file to ship or load. */
export function chime(kind: 'accept' | 'counter' | 'booked'): void {
  try {
    audio ??= new AudioContext();
    const tones = kind === 'counter' ? [660, 520] : kind === 'booked' ? [523, 659, 784] : [587, 880];
    tones.forEach((freq, i) => {
      const osc = audio!.createOscillator();
      const gain = audio!.createGain();
      const at = audio!.currentTime + i * 0.14;
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
      osc.connect(gain).connect(audio!.destination);
      osc.start(at);
      osc.stop(at + 0.25);
    });
  } catch {
    // No audio device (or autoplay blocked before the first click): the toast still shows.
  }
}

/** "(3) Driver Offers": the unread total in the tab title. */
export function setTitleUnread(count: number, base = 'Driver Offers'): void {
  document.title = count > 0 ? `(${count}) ${base}` : base;
}
