/**
 * The demo program of chapter 6 and exercise 8: a small C program that maps
 * its own source file and prints the byte at an offset given on the command
 * line. Written for this project. `demoOutput` says exactly what the
 * program prints for a given file and argument, so the simulator can show
 * the program's output without a C compiler (a test compiles the real one
 * and checks the two agree).
 */

/** The file name the program is saved as; the room's file plays this file. */
export const DEMO_PROGRAM_NAME = 'peek.c';

export const DEMO_PROGRAM_SOURCE = `/*
 * peek.c - print one byte of this very file, read through a memory mapping.
 *
 *     cc -o peek peek.c
 *     ./peek 100
 *
 * The compiler puts the path of the source file into __FILE__, so the
 * program finds its own source as long as the file has not moved.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Accept only a whole decimal number that fits in a long long. */
static int parse_offset(const char *text, long long *out)
{
    char *end;

    errno = 0;
    *out = strtoll(text, &end, 10);
    return end != text && *end == '\\0' && errno == 0;
}

int main(int argc, char *argv[])
{
    long long offset;

    if (argc != 2 || !parse_offset(argv[1], &offset)) {
        fprintf(stderr, "usage: peek OFFSET   (a whole number)\\n");
        return 2;
    }

    /* We only read, so O_RDONLY is enough for a PROT_READ mapping. */
    int fd = open(__FILE__, O_RDONLY);
    if (fd == -1) {
        perror(__FILE__);
        return 1;
    }

    /* Ask the file how long it is: the mapping covers exactly that. */
    struct stat st;
    if (fstat(fd, &st) == -1) {
        perror("fstat");
        return 1;
    }

    /*
     * Check against the file's size, not the mapping's: the mapping is
     * rounded up to whole pages, and the bytes after the end of the file
     * in its last page would quietly read as zero.
     */
    if (offset < 0 || offset >= st.st_size) {
        fprintf(stderr, "peek: offset %lld is outside the file (%lld bytes)\\n",
                offset, (long long)st.st_size);
        close(fd);
        return 1;
    }

    /* Map from offset 0 (a page boundary): the whole file, read-only. */
    char *text = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (text == MAP_FAILED) {           /* that is (void *)-1, not NULL */
        perror("mmap");
        return 1;
    }

    /* The mapping holds its own reference to the file: fd can go now. */
    close(fd);

    unsigned char byte = (unsigned char)text[offset];
    if (isprint(byte))
        printf("offset %lld: '%c' (0x%02x)\\n", offset, byte, byte);
    else
        printf("offset %lld: 0x%02x\\n", offset, byte);

    /* One call undoes the mapping; the file itself stays as it was. */
    if (munmap(text, (size_t)st.st_size) == -1) {
        perror("munmap");
        return 1;
    }
    return 0;
}
`;

/** What one run of the program writes and the status it exits with. */
export interface DemoOutput {
  stdout: string;
  stderr: string;
  status: number;
}

const USAGE = 'usage: peek OFFSET   (a whole number)\n';
const LLONG_MAX = (1n << 63n) - 1n;
const LLONG_MIN = -(1n << 63n);

/** strtoll(text, &end, 10) with the checks the program makes: the whole text, in range. */
export function parseDemoOffset(text: string): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(text);
  if (m === null) return null;
  const value = BigInt(m[1]);
  return value > LLONG_MAX || value < LLONG_MIN ? null : value;
}

/** The line the program prints for a byte (isprint in the C locale: 0x20 to 0x7e). */
export function demoByteLine(offset: bigint | number, byte: number): string {
  const hex = byte.toString(16).padStart(2, '0');
  return byte >= 0x20 && byte <= 0x7e ? `offset ${offset}: '${String.fromCharCode(byte)}' (0x${hex})\n` : `offset ${offset}: 0x${hex}\n`;
}

/** The refusal for an offset outside a file of `size` bytes. */
export function demoRefusal(offset: bigint | number, size: number): string {
  return `peek: offset ${offset} is outside the file (${size} bytes)\n`;
}

/** What `./peek <arg>` prints when its source file holds `file` (and every call succeeds). */
export function demoOutput(file: Uint8Array, arg: string | undefined): DemoOutput {
  const offset = arg === undefined ? null : parseDemoOffset(arg);
  if (offset === null) return { stdout: '', stderr: USAGE, status: 2 };
  if (offset < 0n || offset >= BigInt(file.length)) return { stdout: '', stderr: demoRefusal(offset, file.length), status: 1 };
  return { stdout: demoByteLine(offset, file[Number(offset)]), stderr: '', status: 0 };
}

export { USAGE as DEMO_USAGE };
