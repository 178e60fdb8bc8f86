import { NavLink, Outlet } from 'react-router';
import { RealtimeProvider } from '../lib/realtime/realtime-provider';
import { signOut } from '../features/auth/api/logout';
import { ConnectionIndicator } from '../lib/ui/connection-indicator';
import { Toasts } from '../lib/ui/toasts';
import { ConfirmHost } from '../lib/ui/confirm-dialog';
import { useSession } from '../features/auth/hooks/use-session';
import { useOffers } from '../features/offers/hooks/use-offers';
import { useDispatcherNotifications } from '../features/offers/hooks/use-dispatcher-notifications';
import { askNotificationPermissionOnce } from '../lib/notify';
import { useUnseenResponses } from '../features/offers/hooks/use-unseen-responses';
import { attentionLabel, unseenTotal } from '../features/offers/hooks/unseen-responses';

export function DispatcherShell() {
  return (
    <RealtimeProvider>
      <Shell />
    </RealtimeProvider>
  );
}

function Shell() {
  const session = useSession();
  const offers = useOffers();
  const messages = (offers.data ?? []).reduce((n, o) => n + (o.unread_count ?? 0), 0);
  const answers = unseenTotal(useUnseenResponses(), offers.data ?? []);
  const unread = messages + answers;
  useDispatcherNotifications(unread);

  return (
    <div className="shell" onClickCapture={askNotificationPermissionOnce}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>▰</span> Driver Offers
        </div>
        <nav className="nav" aria-label="Main">
          <NavLink to="/" end>
            Trucks
          </NavLink>
          <NavLink to="/offers">
            Offers
            {unread > 0 && (
              <span className="badge" data-testid="nav-unread" title={attentionLabel(messages, answers)}>
                <span aria-hidden>{unread}</span>
                <span className="sr-only">{attentionLabel(messages, answers)}</span>
              </span>
            )}
          </NavLink>
        </nav>
        <div className="topbar-right">
          <ConnectionIndicator />
          <span className="user" title={session?.role}>
            {session?.name}
          </span>
          <button className="btn btn-ghost btn-sm" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <Outlet />
      <Toasts />
      <ConfirmHost />
    </div>
  );
}
