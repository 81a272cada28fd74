/**
 * A file as a kernel starts with it, without the kernel: its size and the
 * pages that hold memory (the rest read as zeros). A student can grow a file
 * to a terabyte with ftruncate; this costs what was written, where the bytes
 * of the file (a Uint8Array) would cost the terabyte.
 */
export interface FileImage {
  size: number;
  pages: ReadonlyMap<number, Uint8Array>;
}

/** A kernel's first file: its bytes, or the image of one that is sparse. */
export type InitialFile = Uint8Array | FileImage;

/** The byte at `offset` of a kernel's first file (0 past its end). */
export function initialByte(file: InitialFile, pageSize: number, offset: number): number {
  if (file instanceof Uint8Array) return offset < file.length ? file[offset] : 0;
  return offset < file.size ? (file.pages.get(Math.floor(offset / pageSize))?.[offset % pageSize] ?? 0) : 0;
}

/**
 * The file as the page cache holds it: sparse pages of bytes plus the file's
 * size. Bytes past the end of the file inside the last page live here too:
 * a store through a shared mapping can put them there, and (as on Linux) they
 * stay until writeback zeroes them or an ftruncate does.
 */
export class PageCache {
  readonly pageSize: number;
  #pages = new Map<number, Uint8Array>();
  #size: number;
  #pageCount = 0;

  constructor(pageSize: number, initial: InitialFile) {
    this.pageSize = pageSize;
    this.#size = 0;
    if (initial instanceof Uint8Array) {
      this.write(0, initial);
      return;
    }
    for (const [index, bytes] of initial.pages) this.#page(index).set(bytes);
    this.#resize(initial.size);
  }

  /** The file as an image: copies of the pages that hold memory (so a kernel made from it allocates the same). */
  image(): FileImage {
    const pages = new Map<number, Uint8Array>();
    for (const [index, bytes] of this.#pages) pages.set(index, bytes.slice());
    return { size: this.#size, pages };
  }

  get size(): number {
    return this.#size;
  }

  /** Pages that hold memory (a page of zeros that nobody wrote holds none). */
  get allocatedPages(): number {
    return this.#pages.size;
  }

  /** The indices of the pages that hold memory: every other page reads as zeros. */
  allocated(): IterableIterator<number> {
    return this.#pages.keys();
  }

  /**
   * How many of `length` bytes from `offset` fit when at most `free()` new
   * pages may be allocated. `free` is asked only if some page is missing: a
   * write into pages that exist costs no count of the room's memory.
   */
  fits(offset: number, length: number, free: () => number): number {
    let missing = 0;
    let allowed = -1;
    for (let done = 0; done < length; ) {
      const at = offset + done;
      if (!this.#pages.has(Math.floor(at / this.pageSize))) {
        if (allowed < 0) allowed = free();
        if (++missing > allowed) return done;
      }
      done += Math.min(this.pageSize - (at % this.pageSize), length - done);
    }
    return length;
  }

  /** Pages that exist: every page holding at least one byte of the file. */
  get pageCount(): number {
    return this.#pageCount;
  }

  readByte(offset: number): number {
    const page = this.#pages.get(Math.floor(offset / this.pageSize));
    return page === undefined ? 0 : page[offset % this.pageSize];
  }

  writeByte(offset: number, value: number): void {
    this.#page(Math.floor(offset / this.pageSize))[offset % this.pageSize] = value;
  }

  /** Store into a page that already holds memory; false (and nothing done) if it holds none yet. */
  tryWriteByte(offset: number, value: number): boolean {
    const page = this.#pages.get(Math.floor(offset / this.pageSize));
    if (page === undefined) return false;
    page[offset % this.pageSize] = value;
    return true;
  }

  /** A copy of one whole page, tail included: what a private mapping copies on write. */
  copyPage(page: number): Uint8Array {
    const bytes = this.#pages.get(page);
    return bytes === undefined ? new Uint8Array(this.pageSize) : bytes.slice();
  }

  /** Bytes [offset, offset+length) as the page cache holds them (no end-of-file bound). */
  readRaw(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let done = 0; done < length; ) {
      const at = offset + done;
      const index = Math.floor(at / this.pageSize);
      const within = at % this.pageSize;
      const n = Math.min(this.pageSize - within, length - done);
      const page = this.#pages.get(index);
      if (page !== undefined) out.set(page.subarray(within, within + n), done);
      done += n;
    }
    return out;
  }

  /** read(2): bytes up to the end of the file. */
  read(offset: number, count: number): Uint8Array {
    if (offset >= this.#size) return new Uint8Array(0);
    return this.readRaw(offset, Math.min(count, this.#size - offset));
  }

  /**
   * write(2): may grow the file. A write that starts past the end zeroes the
   * gap from the old end first (ext4 does, so stale bytes past EOF never
   * become file data).
   */
  write(offset: number, data: Uint8Array): void {
    if (offset > this.#size && data.length > 0) this.#zeroRange(this.#size, Math.min(offset, this.#pageEnd(this.#size)));
    for (let done = 0; done < data.length; ) {
      const at = offset + done;
      const within = at % this.pageSize;
      const n = Math.min(this.pageSize - within, data.length - done);
      this.#page(Math.floor(at / this.pageSize)).set(data.subarray(done, done + n), within);
      done += n;
    }
    this.#resize(Math.max(this.#size, offset + data.length));
  }

  #resize(size: number): void {
    this.#size = size;
    this.#pageCount = Math.ceil(size / this.pageSize);
  }

  /**
   * ftruncate(2). Shrinking zeroes the rest of the new last page and drops the
   * pages past it; so does keeping the size, since Linux truncates the page
   * cache to the size whether or not it changed. Growing zeroes the old last
   * page from the old end on (ext4 zeroes that block, whatever was stored past
   * EOF); new pages read as zeros.
   */
  truncate(size: number): void {
    if (size <= this.#size) {
      const lastPage = Math.ceil(size / this.pageSize);
      for (const index of [...this.#pages.keys()]) if (index >= lastPage) this.#pages.delete(index);
      this.zeroTail(size);
    } else if (size > this.#size) {
      this.zeroTail(this.#size);
    }
    this.#resize(size);
  }

  /** Writeback of the page that straddles end of file zeroes the part past it. */
  zeroTail(size: number = this.#size): void {
    const within = size % this.pageSize;
    if (within === 0) return;
    this.#pages.get(Math.floor(size / this.pageSize))?.fill(0, within);
  }

  #pageEnd(offset: number): number {
    return Math.ceil(offset / this.pageSize) * this.pageSize;
  }

  #zeroRange(from: number, to: number): void {
    for (let at = from; at < to; ) {
      const index = Math.floor(at / this.pageSize);
      const within = at % this.pageSize;
      const n = Math.min(this.pageSize - within, to - at);
      this.#pages.get(index)?.fill(0, within, within + n);
      at += n;
    }
  }

  #page(index: number): Uint8Array {
    let page = this.#pages.get(index);
    if (page === undefined) {
      page = new Uint8Array(this.pageSize);
      this.#pages.set(index, page);
    }
    return page;
  }
}
