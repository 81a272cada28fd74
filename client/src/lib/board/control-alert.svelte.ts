import type { RoomConnection } from '../net/room-connection.svelte.ts';

/**
 * The latest teacher control that failed, shown on the board until the
 * teacher dismisses it or another failure replaces it: the screen reader's
 * status line alone left a sighted teacher with nothing on the projector.
 */
export class ControlAlert {
  current = $state.raw<{ id: number; message: string } | undefined>();
  #seq = 0;

  /** A new id each time, so the same failure twice is announced twice. */
  show(message: string): void {
    this.current = { id: ++this.#seq, message };
  }

  dismiss(): void {
    this.current = undefined;
  }
}

const alerts = new WeakMap<RoomConnection, ControlAlert>();

/** The alert of the board that owns `conn`. */
export function controlAlert(conn: RoomConnection): ControlAlert {
  let alert = alerts.get(conn);
  if (!alert) alerts.set(conn, (alert = new ControlAlert()));
  return alert;
}
