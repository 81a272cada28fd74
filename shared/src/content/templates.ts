import { DEMO_PROGRAM_SOURCE } from './demo-program.ts';

/**
 * The files a room can start with, and the page sizes a teacher can pick.
 * The contents live here so the client can show a template before the room
 * exists and the server builds the very same bytes.
 */

/** Teaching page sizes: 16 and 64 make alignment visible on a projector; 4096 is the real one. */
export const PAGE_SIZES = [16, 64, 256, 4096] as const;
export type TeachingPageSize = (typeof PAGE_SIZES)[number];

export const TEMPLATE_IDS = ['counter', 'seat-map', 'demo-source', 'blank', 'text', 'custom'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export interface TemplateInfo {
  id: TemplateId;
  title: string;
  description: string;
}

/** What the start-a-class form offers (`custom` is for the API: the trace runner's exact bytes). */
export const TEMPLATES: readonly TemplateInfo[] = [
  {
    id: 'counter',
    title: 'Shared counter',
    description:
      'Sixteen zero bytes. Byte 0 is a counter: load it, add one, store it back. Without a lock, two students doing this at once lose an update.',
  },
  {
    id: 'seat-map',
    title: 'Seat map',
    description:
      "A lecture hall, one text line per row, '.' for a free seat. Claim a seat by storing your initial over a dot; a lock on the row stops two students taking the same seat.",
  },
  {
    id: 'demo-source',
    title: 'The demo program',
    description: 'The C source of a small program that maps its own file and prints the byte at an offset you give it.',
  },
  { id: 'blank', title: 'Blank', description: '1024 zero bytes.' },
  { id: 'text', title: 'Your own text', description: 'Text you paste (UTF-8), up to 64 KiB.' },
];

export const COUNTER_FILE_SIZE = 16;
export const BLANK_FILE_SIZE = 1024;

const SEAT_ROWS = 'ABCDEFGH';
const SEATS_PER_ROW = 16;

/** Every row has the same length, so seat (row r, seat s) is at a fixed offset. */
export function seatMapText(): string {
  const header = 'seat   ' + Array.from({ length: SEATS_PER_ROW }, (_, i) => String((i + 1) % 10)).join('') + '\n';
  const rows = [...SEAT_ROWS].map((row) => `row ${row}  ${'.'.repeat(SEATS_PER_ROW)}\n`);
  return header + rows.join('');
}

/** Offset of a seat in the seat map (row 'A'.., seat 1..16). */
export function seatOffset(row: string, seat: number): number {
  const lineLength = 7 + SEATS_PER_ROW + 1;
  return lineLength * (1 + SEAT_ROWS.indexOf(row)) + 7 + (seat - 1);
}

/** Our demo program (content/demo-program.ts): it maps its own source read-only and prints one byte of it. */
export const DEMO_SOURCE = DEMO_PROGRAM_SOURCE;

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * The initial bytes of a template. `text` is the teacher's paste for `text`;
 * `custom` bytes come from the caller (the HTTP API), never from here.
 */
export function templateBytes(id: Exclude<TemplateId, 'custom'>, text = ''): Uint8Array {
  switch (id) {
    case 'counter': return new Uint8Array(COUNTER_FILE_SIZE);
    case 'seat-map': return utf8(seatMapText());
    case 'demo-source': return utf8(DEMO_SOURCE);
    case 'blank': return new Uint8Array(BLANK_FILE_SIZE);
    case 'text': return utf8(text);
  }
}
