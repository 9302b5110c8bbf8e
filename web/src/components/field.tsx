// A labelled form control: the label names the control for screen readers and shows any hint.
import type { ComponentChildren } from 'preact';

interface FieldProps {
  readonly label: string;
  readonly hint?: string;
  readonly children: ComponentChildren;
  readonly class?: string;
}

export function Field({ label, hint, children, class: className }: FieldProps) {
  return (
    <label class={className ? `field ${className}` : 'field'}>
      <span class="field-label">{label}</span>
      {children}
      {hint && <span class="field-hint">{hint}</span>}
    </label>
  );
}
