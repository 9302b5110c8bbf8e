// A labelled form control: the label names the control by id, and a hint is tied to it with aria-describedby.
import { cloneElement } from 'preact';
import type { VNode } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  readonly label: string;
  readonly hint?: string;
  readonly children: VNode;
  readonly class?: string;
}

export function Field({ label, hint, children, class: className }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  // A label pointing at the control (not wrapping it) keeps the name to the label alone, also for selects.
  const control = cloneElement(children, { id, ...(hint ? { 'aria-describedby': hintId } : {}) });
  return (
    <div class={className ? `field ${className}` : 'field'}>
      <label class="field-label" for={id}>
        {label}
      </label>
      {control}
      {hint && (
        <span class="field-hint" id={hintId}>
          {hint}
        </span>
      )}
    </div>
  );
}
