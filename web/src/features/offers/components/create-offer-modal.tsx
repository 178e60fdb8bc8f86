import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { Offer, Truck } from '../../../lib/api/types';
import { ApiError } from '../../../lib/api/problem';
import { keys } from '../../../lib/query-keys';
import { applyOffer } from '../../../lib/realtime/live-cache';
import { useDraft } from '../../../lib/drafts';
import { Modal } from '../../../lib/ui/modal';
import { PlaceInput } from '../../../lib/ui/place-input';
import { Field, type FieldControl } from '../../../lib/ui/field';
import { fmtRpm } from '../../../lib/format';
import { ratePerMile } from '../../../lib/geo/distance';
import { createOffer } from '../api/create-offer';
import { updateOffer } from '../api/update-offer';
import { autoDistance, emptyOfferForm, formFromOffer, toOfferInput, validateOffer, type OfferForm } from '../hooks/offer-form';

interface Props {
  /** Create mode: the selected trucks (removable). */
  drivers?: Truck[];
  onRemoveDriver?: (id: number) => void;
  /** Edit mode: the offer to change. */
  offer?: Offer;
  onClose: () => void;
  onCreated?: (offer: Offer) => void;
}

/** Create (over the truck table) or edit an offer. The form is a draft in localStorage until saved. */
export function CreateOfferModal({ drivers, onRemoveDriver, offer, onClose, onCreated }: Props) {
  const editing = !!offer;
  const [form, setForm, clearForm] = useDraft<OfferForm>(editing ? `offer.edit.${offer.id}` : 'offer.new', editing ? formFromOffer(offer) : emptyOfferForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);

  // A refused submit puts the cursor in the first wrong field, which then reads its error (see lib/ui/field.tsx).
  const refuse = (fieldErrors: Record<string, string>, message: string) => {
    setErrors(fieldErrors);
    setBanner(message);
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const update = (patch: Partial<OfferForm>) => {
    const next = { ...form, ...patch };
    setForm({ ...next, distance_miles: autoDistance(next) });
    setErrors((e) => {
      const copy = { ...e };
      for (const k of Object.keys(patch)) delete copy[k];
      return copy;
    });
  };

  const rpm = ratePerMile(Number(form.proposed_rate) || null, Number(form.distance_miles) || null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local = validateOffer(form, editing ? null : (drivers?.length ?? 0));
    setErrors(local);
    if (Object.keys(local).length) {
      refuse(local, 'Please correct the highlighted fields.');
      return;
    }
    setBusy(true);
    setBanner(null);
    try {
      if (editing) {
        const saved = await updateOffer(offer.id, toOfferInput(form));
        applyOffer(qc, saved);
        clearForm();
        onClose();
        return;
      }
      // One request: the offer and its proposals (and the drivers' links) are created together or not at all.
      const created = await createOffer({ ...toOfferInput(form), driver_ids: drivers!.map((d) => d.id) });
      applyOffer(qc, created);
      void qc.invalidateQueries({ queryKey: keys.offers });
      clearForm();
      onCreated?.(created);
      onClose();
      navigate(`/offers/${created.id}`);
    } catch (err) {
      if (err instanceof ApiError) refuse(err.fieldErrors, err.message);
      else setBanner('Could not save the offer. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={editing ? `Edit offer #${offer.id}` : 'New load offer'} onClose={onClose} wide>
      <form className="offer-form" onSubmit={submit} noValidate ref={formRef}>
        {banner && (
          <div className="alert" role="alert">
            {banner}
          </div>
        )}
        <div className="grid-2">
          <Field label="Pickup" error={errors.pickup_location} hint={form.pickup_lat != null ? '📍 located' : undefined}>
            {(control) => (
              <PlaceInput
                {...placeControl(control)}
                name="pickup_location"
                ariaLabel="Pickup location"
                placeholder="City, state or ZIP"
                autoFocus
                value={form.pickup_location}
                onTextChange={(t) => update({ pickup_location: t, pickup_lat: null, pickup_lon: null })}
                onPick={(p) => update({ pickup_location: p.label, pickup_lat: p.lat, pickup_lon: p.lon })}
              />
            )}
          </Field>
          <Field label="Delivery" error={errors.delivery_location} hint={form.delivery_lat != null ? '📍 located' : undefined}>
            {(control) => (
              <PlaceInput
                {...placeControl(control)}
                name="delivery_location"
                ariaLabel="Delivery location"
                placeholder="City, state or ZIP"
                value={form.delivery_location}
                onTextChange={(t) => update({ delivery_location: t, delivery_lat: null, delivery_lon: null })}
                onPick={(p) => update({ delivery_location: p.label, delivery_lat: p.lat, delivery_lon: p.lon })}
              />
            )}
          </Field>
          <Field label="Pickup window" error={errors.pickup_window_start ?? errors.pickup_window_end} group>
            {(_, mark) => (
              <div className="range">
                <input type="datetime-local" name="pickup_window_start" aria-label="Pickup from" {...mark(!!errors.pickup_window_start)} value={form.pickup_window_start} onChange={(e) => update({ pickup_window_start: e.target.value })} />
                <input type="datetime-local" name="pickup_window_end" aria-label="Pickup until" {...mark(!!errors.pickup_window_end)} value={form.pickup_window_end} onChange={(e) => update({ pickup_window_end: e.target.value })} />
              </div>
            )}
          </Field>
          <Field label="Delivery window" error={errors.delivery_window_start ?? errors.delivery_window_end} group>
            {(_, mark) => (
              <div className="range">
                <input type="datetime-local" name="delivery_window_start" aria-label="Delivery from" {...mark(!!errors.delivery_window_start)} value={form.delivery_window_start} onChange={(e) => update({ delivery_window_start: e.target.value })} />
                <input type="datetime-local" name="delivery_window_end" aria-label="Delivery until" {...mark(!!errors.delivery_window_end)} value={form.delivery_window_end} onChange={(e) => update({ delivery_window_end: e.target.value })} />
              </div>
            )}
          </Field>
        </div>
        <div className="grid-4">
          <Field label="Rate (USD)" error={errors.proposed_rate}>
            {(control) => <input {...control} name="proposed_rate" inputMode="decimal" placeholder="2500" value={form.proposed_rate} onChange={(e) => update({ proposed_rate: e.target.value })} />}
          </Field>
          <Field label="Distance (mi)" error={errors.distance_miles} hint={form.distance_edited ? 'edited' : form.distance_miles ? 'estimated' : undefined}>
            {(control) => (
              <input {...control} name="distance_miles" inputMode="decimal" value={form.distance_miles} onChange={(e) => update({ distance_miles: e.target.value, distance_edited: e.target.value !== '' })} />
            )}
          </Field>
          <Field label="Rate per mile">
            {(control) => (
              <output {...control} className="rpm" data-testid="rate-per-mile">
                {fmtRpm(rpm)}
              </output>
            )}
          </Field>
          <Field label="Weight (lbs)" error={errors.weight_lbs}>
            {(control) => <input {...control} name="weight_lbs" inputMode="numeric" placeholder="42000" value={form.weight_lbs} onChange={(e) => update({ weight_lbs: e.target.value })} />}
          </Field>
        </div>
        <div className="grid-2">
          <Field label="Dimensions" error={errors.dimensions}>
            {(control) => <input {...control} name="dimensions" placeholder="53' dry van, 48x102" value={form.dimensions} onChange={(e) => update({ dimensions: e.target.value })} />}
          </Field>
          <Field label="Offer expires" error={errors.expires_at} hint="optional">
            {(control) => <input {...control} type="datetime-local" name="expires_at" value={form.expires_at} onChange={(e) => update({ expires_at: e.target.value })} />}
          </Field>
        </div>
        <Field label="Notes" error={errors.notes}>
          {(control) => <textarea {...control} name="notes" rows={2} value={form.notes} onChange={(e) => update({ notes: e.target.value })} />}
        </Field>
        <label className="check">
          <input type="checkbox" name="auto_book" checked={form.auto_book} onChange={(e) => update({ auto_book: e.target.checked })} />
          Auto-book: the first driver who accepts gets the load
        </label>
        {!editing && (
          <Field label={`Send to ${drivers?.length ?? 0} ${drivers?.length === 1 ? 'driver' : 'drivers'}`} error={errors.driver_ids} group>
            {() => (
              <ul className="chips" aria-label="Selected drivers">
                {drivers?.map((d) => (
                  <li key={d.id} className="chip">
                    <b>{d.truck_number}</b> {d.driver_name}
                    <button type="button" aria-label={`Remove ${d.driver_name ?? d.truck_number}`} onClick={() => onRemoveDriver?.(d.id)}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Field>
        )}
        <footer className="modal-foot">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save changes' : `Send offer to ${drivers?.length ?? 0}`}
          </button>
        </footer>
      </form>
    </Modal>
  );
}

/** PlaceInput takes the field's wiring as its own props. */
function placeControl(c: FieldControl) {
  return { id: c.id, invalid: !!c['aria-invalid'], describedBy: c['aria-describedby'] };
}
