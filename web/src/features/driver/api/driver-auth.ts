import { api } from '../../../lib/api/client';
import { startSession } from '../../../lib/session';

/** What the three password-less sign-ins answer: a driver token for one truck. */
export interface DriverToken {
  access_token: string;
  token_type: string;
  expires_in: number;
  driver: { id: number; truck_number: string | null; driver_name: string | null; cell_phone: string | null };
  /** The offer the link was sent for (null after phone sign-in). */
  offer_id: number | null;
}

export interface CodeRequested {
  message: string;
  expires_in: number;
}

/** The single-use code from an offer link → a driver token. With the token of the driver already signed in here, a
 * link already used opens its offer again (the same text tapped twice); a 401 leaves that session alone. */
export const exchangeLinkCode = (code: string, driverToken?: string) =>
  api<DriverToken>('/api/driver/auth/exchange', { method: 'POST', body: { code }, anonymous: true, token: driverToken });

export const requestPhoneCode = (phone: string) =>
  api<CodeRequested>('/api/driver/auth/request-code', { method: 'POST', body: { phone }, anonymous: true });

export const verifyPhoneCode = (phone: string, code: string) =>
  api<DriverToken>('/api/driver/auth/verify-code', { method: 'POST', body: { phone, code }, anonymous: true });

export function startDriverSession(t: DriverToken): void {
  startSession({
    token: t.access_token,
    userType: 'driver',
    id: t.driver.id,
    name: t.driver.driver_name ?? `Truck ${t.driver.truck_number ?? t.driver.id}`,
    role: 'driver',
    expiresAt: Date.now() + t.expires_in * 1000,
  });
}
