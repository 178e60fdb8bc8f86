import { useNavigate } from 'react-router';
import { useStore } from '../store';
import { dismissToast, toasts } from '../notify';

export function Toasts() {
  const list = useStore(toasts);
  const navigate = useNavigate();
  return (
    <div className="toasts" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} role="status">
          <button
            className="toast-body"
            onClick={() => {
              if (t.href) navigate(t.href);
              dismissToast(t.id);
            }}
          >
            <strong>{t.title}</strong>
            {t.body && <span>{t.body}</span>}
          </button>
          <button className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
