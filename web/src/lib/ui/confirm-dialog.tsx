import { useId } from 'react';
import { createStore, useStore } from '../store';
import { Modal } from './modal';

export interface ConfirmRequest {
  /** The question, saying exactly what will happen ("Book Nwee Ler at $2,800.00?"). */
  title: string;
  /** Its consequences, in a sentence or two. */
  body: string;
  confirmLabel: string;
  cancelLabel: string;
  /** Destructive: the confirm button is red and the focus starts on the safe answer. */
  danger?: boolean;
}

type Pending = ConfirmRequest & { id: number; resolve: (ok: boolean) => void };

const pending = createStore<Pending | null>(null);
let nextId = 1;

/**
 * Asks in an in-app dialog (not the browser's `confirm()`, which blocks the page, can't say who or how much in a
 * readable way and is suppressed by some browsers): true when confirmed, false on the safe answer, Escape, ✕ or the
 * backdrop. Needs a {@link ConfirmHost} mounted. A second question replaces the first, which counts as declined.
 */
export function askConfirm(request: ConfirmRequest): Promise<boolean> {
  pending.get()?.resolve(false);
  return new Promise((resolve) => pending.set({ ...request, id: nextId++, resolve }));
}

export function ConfirmHost() {
  const request = useStore(pending);
  if (!request) return null;
  const answer = (ok: boolean) => {
    pending.set((p) => (p?.id === request.id ? null : p));
    request.resolve(ok);
  };
  return <ConfirmDialog key={request.id} request={request} onAnswer={answer} />;
}

function ConfirmDialog({ request: r, onAnswer }: { request: ConfirmRequest; onAnswer: (ok: boolean) => void }) {
  const bodyId = useId();
  return (
    <Modal title={r.title} role="alertdialog" describedBy={bodyId} onClose={() => onAnswer(false)}>
      <p className="confirm-body" id={bodyId}>
        {r.body}
      </p>
      <footer className="modal-foot">
        <button className="btn btn-ghost" autoFocus={r.danger} onClick={() => onAnswer(false)}>
          {r.cancelLabel}
        </button>
        <button className={`btn ${r.danger ? 'btn-danger-solid' : 'btn-primary'}`} autoFocus={!r.danger} onClick={() => onAnswer(true)}>
          {r.confirmLabel}
        </button>
      </footer>
    </Modal>
  );
}
