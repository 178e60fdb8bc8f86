import { Navigate, Route, Routes } from 'react-router';
import { LoginPage } from '../features/auth/components/login-page';
import { RequireSession } from '../features/auth/components/require-session';
import { DispatcherShell } from './dispatcher-shell';
import { TrucksPage } from '../features/trucks/components/trucks-page';
import { OffersPage } from '../features/offers/components/offers-page';
import { DriverApp } from '../features/driver/components/driver-app';

// The driver app (features/driver) mounts its own routes under /driver.
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/driver/*" element={<DriverApp />} />
      <Route
        element={
          <RequireSession userType="dispatcher">
            <DispatcherShell />
          </RequireSession>
        }
      >
        <Route path="/" element={<TrucksPage />} />
        <Route path="/offers" element={<OffersPage />} />
        <Route path="/offers/:offerId" element={<OffersPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
