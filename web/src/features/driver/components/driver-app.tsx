import { useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { LinkPage } from './link-page';
import { SignInPage } from './sign-in-page';
import { DriverShell } from './driver-shell';
import { MyOffersPage } from './my-offers-page';
import { OfferPage } from './offer-page';
import './driver.css';

/** The driver's phone app, mounted at /driver/*. Installable: manifest + a service worker scoped to /driver. */
export function DriverApp() {
  useInstallable();
  return (
    <Routes>
      <Route path="link/:code" element={<LinkPage />} />
      <Route path="sign-in" element={<SignInPage />} />
      <Route element={<DriverShell />}>
        <Route index element={<MyOffersPage />} />
        <Route path="offers/:offerId" element={<OfferPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/driver" replace />} />
    </Routes>
  );
}

/** The dispatcher pages are not an app to install; only /driver announces its manifest and registers a worker. */
function useInstallable() {
  useEffect(() => {
    const added: HTMLElement[] = [];
    const head = (tag: string, attrs: Record<string, string>) => {
      if (document.head.querySelector(`${tag}[${Object.keys(attrs)[0]}="${Object.values(attrs)[0]}"]`)) return;
      const el = document.createElement(tag);
      Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, v));
      document.head.appendChild(el);
      added.push(el);
    };
    // The dispatcher layout is desktop-wide; the driver's is a phone.
    document.body.classList.add('drv-body');
    head('link', { rel: 'manifest', href: '/manifest.webmanifest' });
    head('meta', { name: 'theme-color', content: '#1d4ed8' });
    head('link', { rel: 'apple-touch-icon', href: '/icons/apple-touch-icon.png' });
    if ('serviceWorker' in navigator && window.isSecureContext) {
      navigator.serviceWorker.register('/driver-sw.js', { scope: '/driver' }).catch(() => undefined);
    }
    return () => {
      document.body.classList.remove('drv-body');
      added.forEach((el) => el.remove());
    };
  }, []);
}
