import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { formatAmount, isNegative } from './money';

/** A load in progress: a visible bar and words for screen readers. */
export function Loading({ what = 'Loading', detail }: { what?: string; detail?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <progress aria-label={what} />
      <span>
        {what}…{detail === undefined ? '' : ` ${detail}`}
      </span>
    </div>
  );
}

/** A page's heading, focused when the page opens so that keyboard and screen-reader users start there. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    document.title = `${heading.current?.textContent ?? ''} · Mutua`;
  }, []);
  return (
    <h1 tabIndex={-1} ref={heading}>
      {children}
    </h1>
  );
}

export function Amount({
  value,
  code,
  signed = false,
}: {
  value: string;
  code?: string;
  signed?: boolean;
}) {
  const negative = isNegative(value);
  const text = formatAmount(value, code);
  return (
    <span class={`amount${negative ? ' negative' : ''}`}>
      {signed && !negative && value !== '0' && !/^0(\.0+)?$/.test(value) ? '+' : ''}
      {text}
    </span>
  );
}

export function Field({
  label,
  hint,
  children,
  id,
}: {
  label: string;
  hint?: string;
  id: string;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint === undefined ? null : (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

export function Success({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice success" role="status">
      {children}
    </div>
  );
}

/** Saves text as a file the browser downloads. */
export function downloadText(filename: string, text: string, type: string): void {
  downloadBlob(filename, new Blob([text], { type }));
}

export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
