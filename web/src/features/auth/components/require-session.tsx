import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { onSessionChange } from '../../../lib/session';
import { useSession } from '../hooks/use-session';

/**
 * Shows its children only to a signed-in user of the given type. When the session ends (logout, or a 401 from any
 * call), goes to sign-in remembering where we were; whatever was being typed stays in its draft.
 */
export function RequireSession({ userType, children }: { userType: 'dispatcher' | 'driver'; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();

  useEffect(
    () =>
      onSessionChange((s, reason) => {
        if (s) return;
        qc.clear();
        navigate('/login', { replace: true, state: { from: location.pathname + location.search, expired: reason === 'expired' } });
      }),
    [navigate, location, qc],
  );

  if (!session || session.userType !== userType) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}
