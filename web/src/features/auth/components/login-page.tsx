import { useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { login } from '../api/login';
import { startSession } from '../../../lib/session';
import { ApiError } from '../../../lib/api/problem';
import { useDraft } from '../../../lib/drafts';
import { useSession } from '../hooks/use-session';
import { Field } from '../../../lib/ui/field';

interface LocationState {
  from?: string;
  expired?: boolean;
}

export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as LocationState;
  const [username, setUsername] = useDraft('login.username', '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // A refused sign-in puts the cursor in the first wrong field, which then reads its error.
  const focusFirstInvalid = () => requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  if (session?.userType === 'dispatcher') return <Navigate to={state.from ?? '/'} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!username.trim()) errs.username = 'Enter your username or e-mail.';
    if (!password) errs.password = 'Enter your password.';
    setFieldErrors(errs);
    if (Object.keys(errs).length) {
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await login(username.trim(), password);
      startSession({
        token: r.access_token,
        userType: 'dispatcher',
        id: r.user.id,
        name: r.user.full_name,
        role: r.user.role,
        expiresAt: Date.now() + r.expires_in * 1000,
      });
      navigate(state.from && state.from !== '/login' ? state.from : '/', { replace: true });
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : null;
      setFieldErrors(apiErr?.fieldErrors ?? {});
      setError(apiErr?.message ?? 'Sign-in failed. Please try again.');
      focusFirstInvalid();
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} noValidate ref={formRef}>
        <div className="brand brand-lg">
          <span className="brand-mark" aria-hidden>▰</span> Driver Offers
        </div>
        <p className="muted">Dispatcher sign-in</p>
        {state.expired && !error && (
          <div className="notice" role="status">
            Your session ended. Sign in again — nothing you typed was lost.
          </div>
        )}
        {error && (
          <div className="alert" role="alert">
            {error}
          </div>
        )}
        <Field label="Username or e-mail" error={fieldErrors.username}>
          {(control) => (
            <input
              {...control}
              name="username"
              autoComplete="username"
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" error={fieldErrors.password}>
          {(control) => (
            <input
              {...control}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="login-alt">
          Driver? <Link to="/driver/sign-in">Sign in with your phone</Link>
        </p>
      </form>
    </main>
  );
}
