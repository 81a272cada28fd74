/** A duration in plain words, to a tenth: "10 minutes", "1.5 seconds", "1 minute". */
export function duration(ms: number): string {
  const [amount, unit] = ms >= 60_000 ? [ms / 60_000, 'minute'] : [ms / 1000, 'second'];
  const shown = Number(amount.toFixed(1));
  return `${shown} ${unit}${shown === 1 ? '' : 's'}`;
}
