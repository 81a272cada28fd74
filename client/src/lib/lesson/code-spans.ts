/** A piece of lesson text: plain words, or code (written in `backticks` in the lesson). */
export interface Span {
  code: boolean;
  text: string;
}

/**
 * Split lesson text at its backticks: odd pieces are code. An unpaired
 * backtick is kept as a plain character rather than swallowing the rest.
 */
export function codeSpans(text: string): Span[] {
  const parts = text.split('`');
  if (parts.length % 2 === 0) {
    // An odd number of backticks: the last one has no partner.
    const last = parts.pop()!;
    parts[parts.length - 1] += `\`${last}`;
  }
  return parts.map((t, i) => ({ code: i % 2 === 1, text: t })).filter((s) => s.text !== '');
}
