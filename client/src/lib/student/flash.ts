import type { Attachment } from 'svelte/attachments';
import { ownerColour } from '../format/owners.ts';

/**
 * Replays a short glow in the writer's colour whenever `seq` changes: an
 * attachment re-runs when its arguments change, so no state is synced by hand.
 */
export function flash(change: { by: number; seq: number } | undefined, duration = 1600): Attachment<HTMLElement> {
  return (el) => {
    if (!change) return;
    const colour = ownerColour(change.by);
    el.animate(
      [
        { boxShadow: `0 0 0 4px ${colour}`, backgroundColor: `color-mix(in srgb, ${colour} 45%, transparent)` },
        { boxShadow: `0 0 0 0 transparent` },
      ],
      { duration, easing: 'ease-out' },
    );
  };
}
