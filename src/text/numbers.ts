/**
 * Number formatting with Python's `%` semantics, so that printed figures match zope.testrunner's
 * to the character.
 */

/**
 * `%.Nf`: like `toFixed`, except that exact ties round to the even digit as Python does
 * (`'%.1f' % 6.25` is `6.2`, `(6.25).toFixed(1)` is `6.3`). Ties are rare; checking for one needs
 * the value's exact decimal expansion, which `toFixed(100)` gives for any double below 1e21.
 */
export function fixed(value: number, digits: number): string {
  const plain = value.toFixed(digits);
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return plain;
  const exact = Math.abs(value).toFixed(100);
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(rest)) return plain;
  const kept = exact.slice(0, point + 1 + digits).replace(/\.$/, '');
  const lastDigit = Number(kept.at(-1));
  if (lastDigit % 2 === 1) return plain;
  const sign = value < 0 && /[1-9]/.test(kept) ? '-' : '';
  return sign + kept;
}

/** `%-Nd` / `%-Ns`: left-justified in `width` columns, never truncated. */
export function left(value: number | string, width: number): string {
  return String(value).padEnd(width);
}

/** `%Nd` / `%Ns`: right-justified in `width` columns, never truncated. */
export function right(value: number | string, width: number): string {
  return String(value).padStart(width);
}

/** zope's long form: `0.013 seconds`, or `2 minutes 5.000 seconds` from a minute on. */
export function seconds(value: number): { minutes: number | undefined; seconds: string } {
  if (value < 60) return { minutes: undefined, seconds: fixed(value, 3) };
  const minutes = Math.floor(value / 60);
  return { minutes, seconds: fixed(value - minutes * 60, 3) };
}

/** `+6`, `0`, `-3`. */
export function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}
