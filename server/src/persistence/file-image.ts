import { Kernel } from '@mmap-lab/shared';
import type { FileImage, PageCache } from '@mmap-lab/shared/kernel/page-cache.ts';
import type { StoredPage } from './room-store.ts';

/** The given pages of the page cache, tails past end of file included (a restore zeroes those). */
export function readPages(cache: PageCache, pages: Iterable<number>): StoredPage[] {
  const out: StoredPage[] = [];
  for (const page of pages) out.push({ page, bytes: cache.readRaw(page * cache.pageSize, cache.pageSize) });
  return out;
}

/** Every page holding part of the file: for a new room or a reboot. */
export function allPages(cache: PageCache): StoredPage[] {
  return readPages(cache, Array.from({ length: cache.pageCount }, (_, i) => i));
}

/**
 * A kernel whose file is the stored one. Writing the pages and then setting
 * the size zeroes whatever lay past the end of file in the last page: those
 * bytes never reach a real file either.
 */
export function restoreKernel(pageSize: number, size: number, pages: StoredPage[], memoryBytes: number): Kernel {
  const kernel = new Kernel({ pageSize, memoryBytes });
  const cache = kernel.state.cache;
  for (const p of pages) cache.write(p.page * pageSize, p.bytes);
  cache.truncate(size);
  return kernel;
}

/** An image's pages as one blob: each page's index (8 bytes, little-endian) then its bytes. */
export function packImage(image: FileImage): Uint8Array {
  let pageSize = 0;
  for (const bytes of image.pages.values()) pageSize = bytes.length;
  const out = new Uint8Array(image.pages.size * (8 + pageSize));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [index, bytes] of image.pages) {
    view.setBigUint64(at, BigInt(index), true);
    out.set(bytes, at + 8);
    at += 8 + pageSize;
  }
  return out;
}

export function unpackImage(blob: Uint8Array, pageSize: number, size: number): FileImage {
  const pages = new Map<number, Uint8Array>();
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let at = 0; at < blob.length; at += 8 + pageSize) pages.set(Number(view.getBigUint64(at, true)), blob.slice(at + 8, at + 8 + pageSize));
  return { size, pages };
}
