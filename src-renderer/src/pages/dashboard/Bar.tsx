/**
 * A horizontal CSS bar (no chart library): its length is set through the CSSOM, which the strict CSP allows.
 * @module
 */
import { barPercent } from './figures.js';

/** A bar for `value` out of `max`, hidden from screen readers (the number beside it says the same). */
export function Bar({
  value,
  max,
  tone = 'accent',
}: {
  value: number;
  max: number;
  tone?: 'accent' | 'ok' | 'danger';
}) {
  return (
    <span className="bar-track" aria-hidden="true">
      <span className={`bar bar-${tone}`} style={{ width: `${barPercent(value, max)}%` }} />
    </span>
  );
}
