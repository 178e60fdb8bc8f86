import { useEffect } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { RealtimeProvider } from '../../../lib/realtime/realtime-provider';
import { onSessionChange } from '../../../lib/session';
import { signOut } from '../../auth/api/logout';
import { ConnectionIndicator } from '../../../lib/ui/connection-indicator';
import { useSession } from '../../auth/hooks/use-session';
import { DriverQueueProvider } from '../hooks/driver-queue';

/** Signed-in driver pages: one hub connection, the offline queues, and a slim top bar sized for a phone. */
export function DriverShell() {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();

  useEffect(
    () =>
      onSessionChange((s) => {
        if (s) return;
        qc.clear();
        navigate('/driver/sign-in', { replace: true, state: { from: location.pathname } });
      }),
    [navigate, location, qc],
  );

  if (!session || session.userType !== 'driver') {
    return <Navigate to="/driver/sign-in" replace state={{ from: location.pathname }} />;
  }
  return (
    <RealtimeProvider>
      <DriverQueueProvider driverId={session.id}>
        <div className="drv-shell">
          <header className="drv-top">
            <Link to="/driver" className="drv-top-title">My offers</Link>
            <ConnectionIndicator />
            <button className="drv-btn drv-btn-ghost drv-btn-sm" onClick={signOut} aria-label="Sign out">
              Sign out
            </button>
          </header>
          <Outlet />
        </div>
      </DriverQueueProvider>
    </RealtimeProvider>
  );
}
