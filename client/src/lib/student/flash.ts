import type { Attachment } from 'svelte/attachments';
import { ownerColour } from '../format/owners.ts';

/** Each flashing element's overlay, made once and reused. */
const overlays = new WeakMap<HTMLElement, { glow: HTMLElement; running?: Animation }>();

/**
 * Replays a short glow in the writer's colour whenever `seq` changes: an
 * attachment re-runs when its arguments change, so no state is synced by hand.
 *
 * The glow is an overlay whose opacity fades: an opacity animation runs on the
 * compositor, so a page full of glowing cells costs the main thread nothing per
 * frame (a box-shadow or background animation repaints the page every frame).
 * A new write replaces the running glow instead of stacking another one.
 */
export function flash(change: { by: number; seq: number } | undefined, duration = 1600): Attachment<HTMLElement> {
  return (el) => {
    if (!change) return;
    const colour = ownerColour(change.by);
    let overlay = overlays.get(el);
    if (overlay === undefined) {
      const glow = document.createElement('span');
      glow.setAttribute('aria-hidden', 'true');
      glow.style.cssText = 'position:absolute;inset:0;pointer-events:none;opacity:0;';
      if (getComputedStyle(el).position === 'static') el.style.position = 'relative';
      el.append(glow);
      overlay = { glow };
      overlays.set(el, overlay);
    }
    const { glow } = overlay;
    glow.style.boxShadow = `0 0 0 4px ${colour}`;
    glow.style.backgroundColor = `color-mix(in srgb, ${colour} 45%, transparent)`;
    // Not getAnimations(): it flushes style, once per write.
    overlay.running?.cancel();
    overlay.running = glow.animate([{ opacity: 1 }, { opacity: 0 }], { duration, easing: 'ease-out' });
  };
}
