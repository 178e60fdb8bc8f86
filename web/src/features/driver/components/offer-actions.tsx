import { useState } from 'react';
import type { Offer, Proposal } from '../../../lib/api/types';
import { fmtMoney, fmtRpm, wholeCents } from '../../../lib/format';
import { newClientId } from '../../../lib/ids';
import { useResponseQueue, useQueuedResponses } from '../hooks/driver-queue';
import { Field } from '../../../lib/ui/field';
import { Sheet } from './sheet';

type Step = null | 'accept' | 'reject' | 'counter' | 'counter-confirm';

const MAX_RATE = 1_000_000;

/**
 * Accept, Decline (optional reason) and Counter, each behind a confirm step so a bump in the cab doesn't answer a
 * load. Answers go through the offline queue: made without signal, they go out when the phone is back online.
 */
export function OfferActions({ offer: o, proposal: p }: { offer: Offer; proposal: Proposal }) {
  const queue = useResponseQueue();
  const waiting = useQueuedResponses(o.id).some((r) => !r.failed);
  const [step, setStep] = useState<Step>(null);
  const [rateText, setRateText] = useState('');
  const [reason, setReason] = useState('');
  const onTable = p.dispatcher_proposed_rate ?? o.proposed_rate;
  const rate = Number(rateText);
  const rateValid = rateText.trim() !== '' && Number.isFinite(rate) && rate > 0 && rate <= MAX_RATE && wholeCents(rate);
  const rpm = rateValid && o.distance_miles ? Math.round((rate / o.distance_miles) * 100) / 100 : null;

  function answer(action: 'accept' | 'reject' | 'counter', value?: number) {
    const why = action === 'reject' && reason.trim() ? { client_message_id: newClientId(), text: reason.trim() } : undefined;
    queue.enqueue({ offer_id: o.id, proposal_id: p.id, action, rate: value, reason: why });
    void queue.flush();
    setStep(null);
    setRateText('');
    setReason('');
  }

  return (
    <section className="drv-actions" aria-label="Your answer">
      {/* aria-disabled, not disabled, while an answer is on its way: the confirm sheet gives the focus back to the
          button that opened it, and a disabled one can't take it (it fell to the top of the page). */}
      <button className="drv-btn drv-btn-accept" aria-disabled={waiting || undefined} onClick={() => !waiting && setStep('accept')}>
        Accept {fmtMoney(onTable)}
      </button>
      <div className="drv-row">
        <button className="drv-btn drv-btn-counter" aria-disabled={waiting || undefined} onClick={() => !waiting && setStep('counter')}>
          Counter
        </button>
        <button className="drv-btn drv-btn-reject" aria-disabled={waiting || undefined} onClick={() => !waiting && setStep('reject')}>
          Decline
        </button>
      </div>

      {/* The rate shown goes with the answer: if the dispatcher changed it before this reaches the server (a slow or
          offline phone), nothing is accepted and the driver is told, instead of agreeing to a rate they never saw. */}
      {step === 'accept' && <AcceptSheet offer={o} rate={onTable} onAccept={() => answer('accept', onTable)} onClose={() => setStep(null)} />}
      {step && step !== 'accept' && (
        <Sheet label="Confirm your answer" step={step} onClose={() => setStep(null)}>
          {step === 'reject' && (
            <>
              <h2>Decline this load?</h2>
              <Field label="Reason (optional)" className="drv-field" errorClassName="drv-error">
                {(control) => (
                  <textarea {...control} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={2} placeholder="e.g. Too far from my location" />
                )}
              </Field>
              <button className="drv-btn drv-btn-reject" onClick={() => answer('reject')}>Yes, decline</button>
            </>
          )}
          {step === 'counter' && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (rateValid) setStep('counter-confirm');
              }}
            >
              <h2>Your rate</h2>
              <Field
                label={`Counter rate in USD (now ${fmtMoney(onTable)})`}
                error={rateText && !rateValid ? `Enter a rate above $0 and at most ${fmtMoney(MAX_RATE)}, in dollars and cents.` : null}
                className="drv-field"
                errorClassName="drv-error"
              >
                {(control) => (
                  <input
                    {...control}
                    inputMode="decimal"
                    autoFocus
                    value={rateText}
                    onChange={(e) => setRateText(e.target.value.replace(/[^\d.]/g, ''))}
                    placeholder={String(Math.round(onTable * 1.1))}
                  />
                )}
              </Field>
              {rpm != null && <p className="drv-muted">{fmtRpm(rpm)}</p>}
              <button className="drv-btn drv-btn-counter" disabled={!rateValid}>Next</button>
            </form>
          )}
          {step === 'counter-confirm' && (
            <>
              <h2>Send counter of {fmtMoney(rate)}?</h2>
              <p className="drv-muted">The dispatcher can accept it or answer with another rate.</p>
              <button className="drv-btn drv-btn-counter" onClick={() => answer('counter', rate)}>Yes, send {fmtMoney(rate)}</button>
            </>
          )}
          <button className="drv-btn drv-btn-ghost" onClick={() => setStep(null)}>Cancel</button>
        </Sheet>
      )}
    </section>
  );
}

/** The confirm step before an accept, wherever the driver tapped Accept (the answer buttons, or a counter-offer card). */
export function AcceptSheet({ offer: o, rate, onAccept, onClose }: { offer: Offer; rate: number; onAccept: () => void; onClose: () => void }) {
  return (
    <Sheet label="Confirm your answer" step="accept" onClose={onClose}>
      <h2>Accept this load?</h2>
      <p>
        {o.pickup_location} → {o.delivery_location} for <strong>{fmtMoney(rate)}</strong>.
      </p>
      <button className="drv-btn drv-btn-accept" onClick={onAccept}>Yes, accept</button>
      <button className="drv-btn drv-btn-ghost" onClick={onClose}>Cancel</button>
    </Sheet>
  );
}

