const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const money2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Rates are whole cents; the server refuses fractions of a cent rather than round what someone agreed to. */
export const wholeCents = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;

export const fmtMoney = (v: number | null | undefined) => (v == null ? '—' : money.format(v));
/** To the cent, where a person confirms an amount ("Book … at $2,800.00?"). */
export const fmtMoneyExact = (v: number | null | undefined) => (v == null ? '—' : money2.format(v));
export const fmtRpm = (v: number | null | undefined) => (v == null ? '—' : `${money2.format(v)}/mi`);
export const fmtMiles = (v: number | null | undefined) => (v == null ? '—' : `${int.format(v)} mi`);
export const fmtLbs = (v: number | null | undefined) => (v == null ? '—' : `${int.format(v)} lbs`);

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

export function fmtWindow(start: string | null, end: string | null): string {
  if (!start && !end) return 'Flexible';
  if (start && end) return `${fmtDateTime(start)} – ${fmtDateTime(end)}`;
  return start ? `from ${fmtDateTime(start)}` : `by ${fmtDateTime(end)}`;
}

/** A window's start, short enough for a list row; "flexible" without a window, as {@link fmtWindow} says it. */
export function fmtWindowStart(start: string | null, end: string | null): string {
  if (start) return fmtDateTime(start);
  return end ? `by ${fmtDateTime(end)}` : 'flexible';
}

/** "3 min ago", "2 h ago", "Mar 4": for last-seen and last-update columns. */
export function fmtAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 7 * 86400) return `${Math.floor(s / 86400)} d ago`;
  return new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}

/** "12:04" / "1h 05m" / "2d 3h": the expiry countdown on offer cards. */
export function fmtCountdown(ms: number): string {
  if (ms <= 0) return 'expired';
  const m = Math.floor(ms / 60000);
  if (m < 60) return `${m}:${String(Math.floor((ms % 60000) / 1000)).padStart(2, '0')}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function dayLabel(iso: string): string {
  const d = new Date(iso);
  const today = new Date();
  const yesterday = new Date(Date.now() - 86400000);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString('en-US', { weekday: 'short', month: 'short', day: 'numeric' });
}
