import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api/problem';
import { requestPhoneCode, startDriverSession, verifyPhoneCode } from '../api/driver-auth';
import { Field } from '../../../lib/ui/field';

/** /driver/sign-in — phone number, then the 6-digit code texted to it. No password anywhere. */
export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Refusal | null>(null);
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
      setError(refusal(err, 'phone'));
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
      setError(refusal(err, 'code'));
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
          <Field label="Cell phone" error={error?.field === 'phone' ? error.text : null} className="drv-field" errorClassName="drv-error" errorRole="alert">
            {(control) => (
              <input
                {...control}
                type="tel"
                inputMode="tel"
                autoComplete="tel"
                placeholder="(779) 513-2475"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                required
                maxLength={40}
              />
            )}
          </Field>
          <Problem error={error} field="phone" />
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
          <Field label="6-digit code" error={error?.field === 'code' ? error.text : null} className="drv-field" errorClassName="drv-error" errorRole="alert">
            {(control) => (
              <input
                {...control}
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                required
                autoFocus
              />
            )}
          </Field>
          <Problem error={error} field="code" />
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

/** Why the server said no, and which field it was about (none for a rate limit or a lost connection). */
interface Refusal {
  text: string;
  field: 'phone' | 'code' | null;
}

function refusal(e: unknown, field: 'phone' | 'code'): Refusal {
  if (!(e instanceof ApiError)) return { text: 'Something went wrong. Try again.', field: null };
  const named = (['phone', 'code'] as const).find((f) => e.fieldErrors[f]);
  if (named) return { text: e.fieldErrors[named]!, field: named };
  // A refused code (wrong, expired, used up) is the code field's fault; a refused number is the phone field's.
  if (e.status === 400 || (e.status === 401 && field === 'code')) return { text: e.message, field };
  return { text: e.message, field: null };
}

/** A refusal not about the field on screen (too many tries, no connection): said once, above the button. */
function Problem({ error, field }: { error: Refusal | null; field: Refusal['field'] }) {
  return error && error.field !== field ? (
    <p className="drv-error" role="alert">
      {error.text}
    </p>
  ) : null;
}
