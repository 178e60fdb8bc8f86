import { api } from '../../../lib/api/client';

export interface LoginResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  user: { id: number; username: string; email: string; full_name: string; mobile_number: string | null; role: string };
}

export const login = (username: string, password: string) =>
  api<LoginResponse>('/api/auth/login', { method: 'POST', body: { username, password }, anonymous: true });
