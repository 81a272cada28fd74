/**
 * Form text to operation arguments. An empty field means its default (shown
 * as the placeholder), so a form follows the process (the highest descriptor,
 * the newest mapping) without syncing state.
 */
export function int64(text: string, fallback: bigint | undefined): bigint | undefined {
  const t = text.trim();
  if (t === '') return fallback;
  if (!/^-?[0-9]{1,20}$/.test(t)) return undefined;
  return BigInt(t);
}

export function small(text: string, fallback: number | undefined): number | undefined {
  const t = text.trim();
  if (t === '') return fallback;
  if (!/^-?[0-9]{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) && Math.abs(n) <= 0x7fffffff ? n : undefined;
}

/** Why a form cannot be sent yet, or undefined when every field reads. */
export function missing(fields: Record<string, unknown>): string | undefined {
  const bad = Object.entries(fields).filter(([, v]) => v === undefined).map(([k]) => k);
  return bad.length > 0 ? `Fill in ${bad.join(', ')} with a whole number.` : undefined;
}
