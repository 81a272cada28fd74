/**
 * Each process gets a colour and a pattern from its pid, so that two owners
 * are told apart even without colour (and every bar also carries a name).
 * The palette is chosen for contrast on both the light and the dark board.
 */
export const OWNER_COLOURS = ['#d81b60', '#1e88e5', '#f9a825', '#43a047', '#8e24aa', '#f4511e', '#00897b', '#6d4c41'] as const;
export const OWNER_PATTERNS = ['solid', 'stripes', 'dots', 'grid'] as const;
export type OwnerPattern = (typeof OWNER_PATTERNS)[number];

export function ownerColour(pid: number): string {
  return OWNER_COLOURS[pid % OWNER_COLOURS.length];
}

export function ownerPattern(pid: number): OwnerPattern {
  return OWNER_PATTERNS[Math.floor(pid / OWNER_COLOURS.length) % OWNER_PATTERNS.length];
}

/** A CSS background that draws the owner's colour in the owner's pattern. */
export function ownerFill(pid: number): string {
  const c = ownerColour(pid);
  switch (ownerPattern(pid)) {
    case 'solid': return c;
    case 'stripes': return `repeating-linear-gradient(45deg, ${c} 0 8px, color-mix(in srgb, ${c} 45%, white) 8px 12px)`;
    case 'dots': return `radial-gradient(circle, color-mix(in srgb, ${c} 40%, white) 2px, ${c} 2.5px) 0 0 / 9px 9px`;
    case 'grid': return `repeating-linear-gradient(0deg, ${c} 0 7px, color-mix(in srgb, ${c} 45%, white) 7px 9px), ${c}`;
  }
}
