import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { login } from '../api/login';
import { startSession } from '../../../lib/session';
import { ApiError } from '../../../lib/api/problem';
import { useDraft } from '../../../lib/drafts';
import { useSession } from '../hooks/use-session';

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

  if (session?.userType === 'dispatcher') return <Navigate to={state.from ?? '/'} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!username.trim()) errs.username = 'Enter your username or e-mail.';
    if (!password) errs.password = 'Enter your password.';
    setFieldErrors(errs);
    if (Object.keys(errs).length) return;
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
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} noValidate>
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
        <label className="field">
          <span>Username or e-mail</span>
          <input
            name="username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={!!fieldErrors.username}
          />
          {fieldErrors.username && <small className="field-error">{fieldErrors.username}</small>}
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={!!fieldErrors.password}
          />
          {fieldErrors.password && <small className="field-error">{fieldErrors.password}</small>}
        </label>
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
