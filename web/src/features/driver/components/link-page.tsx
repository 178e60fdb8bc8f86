import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { readSession } from '../../../lib/session';
import { exchangeLinkCode, startDriverSession, type DriverToken } from '../api/driver-auth';

// One exchange per code per page load: the code is single use, so a second POST (re-render, double effect) would fail.
const exchanges = new Map<string, Promise<DriverToken>>();

/** /driver/link/:code — the link from the text message: trades its one-time code for a session, then opens the offer. */
export function LinkPage() {
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const signedIn = readSession();
    if (!exchanges.has(code)) exchanges.set(code, exchangeLinkCode(code, signedIn?.userType === 'driver' ? signedIn.token : undefined));
    exchanges
      .get(code)!
      .then((t) => {
        if (!live) return;
        qc.clear();
        startDriverSession(t);
        navigate(t.offer_id ? `/driver/offers/${t.offer_id}` : '/driver', { replace: true });
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : 'This link does not work.');
      });
    return () => {
      live = false;
    };
  }, [code, navigate, qc]);

  const session = readSession();
  return (
    <main className="drv-auth">
      <h1 className="drv-brand">Driver Offers</h1>
      {!error ? (
        <p className="drv-muted" role="status">Opening your offer…</p>
      ) : (
        <div className="drv-card" role="alert">
          <h2>This link can't be opened</h2>
          <p>{error}</p>
          {session?.userType === 'driver' ? (
            <Link className="drv-btn drv-btn-primary" to="/driver">See my offers</Link>
          ) : (
            <Link className="drv-btn drv-btn-primary" to="/driver/sign-in">Sign in with my phone number</Link>
          )}
        </div>
      )}
    </main>
  );
}
