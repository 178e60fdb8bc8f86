import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { lastSessionEnd, onSessionChange } from '../../../lib/session';
import { useSession } from '../hooks/use-session';

/**
 * Shows its children only to a signed-in user of the given type. When the session ends (logout, or a 401 from any
 * call), goes to sign-in remembering where we were; whatever was being typed stays in its draft.
 */
export function RequireSession({ userType, children }: { userType: 'dispatcher' | 'driver'; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const qc = useQueryClient();

  // Another user's data must not linger in the cache; drafts are not in it.
  useEffect(() => onSessionChange((s) => s || qc.clear()), [qc]);

  if (!session || session.userType !== userType) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search, expired: lastSessionEnd() === 'expired' }} />;
  }
  return <>{children}</>;
}
