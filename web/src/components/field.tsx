// A labelled form control: the label names the control, and a hint is tied to it with aria-describedby.
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
  const hintId = useId();
  // The hint sits outside the <label>, so the control's accessible name is the label alone.
  return (
    <div class={className ? `field ${className}` : 'field'}>
      <label class="field-inner">
        <span class="field-label">{label}</span>
        {hint ? cloneElement(children, { 'aria-describedby': hintId }) : children}
      </label>
      {hint && (
        <span class="field-hint" id={hintId}>
          {hint}
        </span>
      )}
    </div>
  );
}
