import { useId, type ReactNode } from 'react';

/** What a control spreads on itself to be named by its label and described by its hint and error. */
export interface FieldControl {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/** For one control of a group (a from–until range): marked and described only when it is the wrong one. */
export type MarkControl = (invalid: boolean) => Omit<FieldControl, 'id'>;

interface Props {
  label: ReactNode;
  /** A word beside the label ("optional", "estimated"): read after the error as the control's description, not as its name. */
  hint?: ReactNode;
  /** What is wrong with the value. Shown under the control, tied to it by aria-describedby, the control aria-invalid. */
  error?: string | null;
  /**
   * Several controls, each named by its own aria-label: the label names the group (role=group) and `mark` flags the
   * control the error is about.
   */
  group?: boolean;
  className?: string;
  errorClassName?: string;
  /** Extra props for the error element (e.g. role="alert" where no focus move announces it). */
  errorRole?: 'alert';
  children: (control: FieldControl, mark: MarkControl) => ReactNode;
}

/**
 * A labelled form field. The error sits outside the <label>, so a screen reader reads the field's name as just its
 * label and the error as its description (with "invalid"), the way every form in the app does it.
 */
export function Field({ label, hint, error, group, className = 'field', errorClassName = 'field-error', errorRole, children }: Props) {
  const id = useId();
  const labelId = `${id}-label`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  // The error first: it is what the user must act on; the hint after it.
  const describedBy = (invalid: boolean) => [invalid && error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  const mark: MarkControl = (invalid) => {
    const d = describedBy(invalid);
    return { ...(invalid && error ? { 'aria-invalid': true as const } : {}), ...(d ? { 'aria-describedby': d } : {}) };
  };
  const control: FieldControl = { id, ...mark(!!error) };

  const caption = (
    <span className="field-label">
      {group ? <span id={labelId}>{label}</span> : <label htmlFor={id}>{label}</label>}
      {hint && (
        <em className="hint" id={hintId}>
          {hint}
        </em>
      )}
    </span>
  );
  const message = error ? (
    <small className={errorClassName} id={errorId} role={errorRole}>
      {error}
    </small>
  ) : null;

  return group ? (
    <div className={className} role="group" aria-labelledby={labelId}>
      {caption}
      {children(control, mark)}
      {message}
    </div>
  ) : (
    <div className={className}>
      {caption}
      {children(control, mark)}
      {message}
    </div>
  );
}
