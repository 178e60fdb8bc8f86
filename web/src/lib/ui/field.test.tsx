import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { Field } from './field';

const attr = (html: string, tag: string, name: string) => new RegExp(`<${tag}\\b[^>]*\\s${name}="([^"]*)"`).exec(html)?.[1];
const labelText = (html: string) => /<label\b[^>]*>([\s\S]*?)<\/label>/.exec(html)?.[1];

describe('Field', () => {
  it('keeps the error out of the label and ties it to the control as its description', () => {
    const html = renderToStaticMarkup(
      <Field label="Rate (USD)" error="Rate must be greater than 0.">
        {(control) => <input {...control} name="proposed_rate" />}
      </Field>,
    );
    expect(labelText(html)).toBe('Rate (USD)');
    const id = attr(html, 'input', 'id');
    expect(attr(html, 'label', 'for')).toBe(id);
    expect(attr(html, 'input', 'aria-invalid')).toBe('true');
    const describedBy = attr(html, 'input', 'aria-describedby');
    expect(describedBy).toBeTruthy();
    expect(html).toContain(`<small class="field-error" id="${describedBy}">Rate must be greater than 0.</small>`);
  });

  it('marks nothing while the value is fine', () => {
    const html = renderToStaticMarkup(<Field label="Password">{(control) => <input {...control} />}</Field>);
    expect(attr(html, 'input', 'aria-invalid')).toBeUndefined();
    expect(attr(html, 'input', 'aria-describedby')).toBeUndefined();
    expect(html).not.toContain('field-error');
  });

  it('reads a hint after the error as part of the description, not of the name', () => {
    const html = renderToStaticMarkup(
      <Field label="Offer expires" hint="optional" error="Expiry must be in the future.">
        {(control) => <input {...control} />}
      </Field>,
    );
    expect(labelText(html)).toBe('Offer expires');
    const ids = attr(html, 'input', 'aria-describedby')!.split(' ');
    expect(ids).toHaveLength(2);
    expect(html).toContain(`id="${ids[0]}">Expiry must be in the future.</small>`);
    expect(html).toContain(`id="${ids[1]}">optional</em>`);
  });

  it('names a group of controls by its label and flags only the control the error is about', () => {
    const html = renderToStaticMarkup(
      <Field label="Pickup window" error="Pickup window must end after it starts." group>
        {(_, mark) => (
          <>
            <input aria-label="Pickup from" {...mark(false)} />
            <input aria-label="Pickup until" {...mark(true)} />
          </>
        )}
      </Field>,
    );
    const labelledBy = attr(html, 'div', 'aria-labelledby');
    expect(html).toContain(`<span id="${labelledBy}">Pickup window</span>`);
    expect(html).toMatch(/<input aria-label="Pickup from"\/>/);
    expect(html).toMatch(/<input aria-label="Pickup until" aria-invalid="true" aria-describedby="[^"]+-error"\/>/);
  });

  it('takes the driver app classes and announces an error nothing else announces', () => {
    const html = renderToStaticMarkup(
      <Field label="Cell phone" error="This is not a phone number." className="drv-field" errorClassName="drv-error" errorRole="alert">
        {(control) => <input {...control} />}
      </Field>,
    );
    expect(html).toMatch(/^<div class="drv-field">/);
    expect(html).toMatch(/<small class="drv-error" id="[^"]+" role="alert">This is not a phone number.<\/small>/);
  });
});
