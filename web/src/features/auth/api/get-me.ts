import { api } from '../../../lib/api/client';
import type { Me } from '../../../lib/api/types';

export const getMe = () => api<Me>('/api/me');
