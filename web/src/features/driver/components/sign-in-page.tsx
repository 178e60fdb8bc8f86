import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api/problem';
import { requestPhoneCode, startDriverSession, verifyPhoneCode } from '../api/driver-auth';

/** /driver/sign-in — phone number, then the 6-digit code texted to it. No password anywhere. */
export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const from = (location.state as { from?: string } | null)?.from;

  async function ask(e?: FormEvent) {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await requestPhoneCode(phone);
      setNotice(r.message);
      setStep('code');
    } catch (err) {
      setError(message(err, 'phone'));
    } finally {
      setBusy(false);
    }
  }

  async function verify(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await verifyPhoneCode(phone, code);
      qc.clear();
      startDriverSession(t);
      navigate(from?.startsWith('/driver') ? from : '/driver', { replace: true });
    } catch (err) {
      setError(message(err, 'code'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="drv-auth">
      <h1 className="drv-brand">Driver Offers</h1>
      {step === 'phone' ? (
        <form className="drv-card" onSubmit={ask}>
          <h2>Sign in</h2>
          <p className="drv-muted">Enter your cell phone number. We'll text you a 6-digit code.</p>
          <label className="drv-field">
            Cell phone
            <input
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder="(779) 513-2475"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              required
              maxLength={40}
            />
          </label>
          {error && <p className="drv-error" role="alert">{error}</p>}
          <button className="drv-btn drv-btn-primary" disabled={busy || !phone.trim()}>
            {busy ? 'Sending…' : 'Text me a code'}
          </button>
          <p className="drv-muted">
            Dispatcher? <Link to="/login">Sign in with your username</Link>
          </p>
        </form>
      ) : (
        <form className="drv-card" onSubmit={verify}>
          <h2>Enter the code</h2>
          <p className="drv-muted">{notice}</p>
          <label className="drv-field">
            6-digit code
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              required
              autoFocus
            />
          </label>
          {error && <p className="drv-error" role="alert">{error}</p>}
          <button className="drv-btn drv-btn-primary" disabled={busy || code.length !== 6}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
          <div className="drv-row">
            <button type="button" className="drv-btn drv-btn-ghost" onClick={() => void ask()} disabled={busy}>
              Send a new code
            </button>
            <button type="button" className="drv-btn drv-btn-ghost" onClick={() => (setStep('phone'), setCode(''), setError(null))}>
              Change number
            </button>
          </div>
        </form>
      )}
    </main>
  );
}

function message(e: unknown, field: string): string {
  if (e instanceof ApiError) return e.fieldErrors[field] ?? e.message;
  return 'Something went wrong. Try again.';
}
