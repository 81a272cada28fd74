/*
 * real-kernel.c: run one mmap-lab trace on the real Linux kernel.
 *
 * Reads the normalized step format (README.md) on stdin and prints the
 * trace contract's output (shared/spec/trace-format.md): one line per step,
 * "<proc> <op> -> <result>", plus "<proc> wakes -> <result>" lines.
 *
 * Build: cc -O2 -Wall -Wextra -o harness real-kernel.c
 *
 * HOW IT WORKS
 *  - The whole input is read and checked first (text errors: exit 2, no
 *    output). The file lives in a fresh mkdtemp() directory under
 *    $HARNESS_DIR (default /tmp) that must be ext4 and not noexec; both are
 *    removed at the end, and on SIGINT/SIGTERM/SIGHUP.
 *  - Each process name gets a forked child at its first step. The child
 *    keeps only its command pipe (fd 1000) and result pipe (fd 1001); fds
 *    0/1 are /dev/null and 2 is our stderr, so its first open() is fd 3.
 *    Trace fds 0, 1, 2, 1000, 1001 are passed to the kernel as -1 (the
 *    modelled process has no such descriptor: Linux answers EBADF).
 *  - The child runs each step with the real syscalls and real loads and
 *    stores. Faults are not caught: the child dies, the parent sees EOF on
 *    the result pipe and waitpid() gives the signal.
 *  - mmap: first mmap(NULL, ...) with the trace's exact arguments, so Linux
 *    decides the errno in its own order of checks; on success that probe is
 *    unmapped and the same mapping is made MAP_FIXED in the middle of a
 *    fresh PROT_NONE reservation with a 1 GiB GUARD on each side:
 *      [res_lo, base)          guard, PROT_NONE
 *      [base, base + rlen)     the file mapping (rlen = len rounded up)
 *      [base + rlen, res_hi)   guard, PROT_NONE
 *    so any access within 1 GiB of either end is a clean SIGSEGV. A load or
 *    store outside the reservation is done at res_lo instead (in the model
 *    that address is unmapped: same SIGSEGV, and we never touch our own
 *    memory). Reservations are stacked downwards, so a new one never lands
 *    in a hole that munmap left inside an older one.
 *  - munmap/mprotect lift the mapping's two guards for the duration of the
 *    call, so the range beyond the mapping is really unmapped, as in the
 *    model (mprotect past the end: ENOMEM; munmap there: ok). Holes made by
 *    munmap are never filled back in, so msync/mprotect over them give
 *    Linux's ENOMEM. A munmap/mprotect that the kernel would carry out but
 *    that reaches beyond the reservation cannot be reproduced: exit 4.
 *  - Blocking, without timing: F_SETLKW is "blocked" once the child, after
 *    receiving the step, sleeps (/proc/<pid>/status State S, with a higher
 *    context-switch count) and has written no answer. After every step all
 *    blocked processes are settled: collect answers, then two passes over
 *    their status; when each is asleep with an unchanged switch count in
 *    both and no answer has come, nothing is in motion. Wakes are printed
 *    in the order the processes blocked. /proc/locks is NOT polled: reading
 *    it takes the kernel's global file_rwsem for writing, which makes lock
 *    operations sleep and reorders simultaneously woken waiters. (It serves
 *    as an opt-in cross-check: HARNESS_VERIFY_LOCKS=1.)
 *  - When one step wakes several waiters, which of them runs first decides
 *    the lock list order (and so getlk's answer). Children are therefore
 *    pinned to one CPU under SCHED_FIFO at one priority: they run in
 *    wake-up order, i.e. Linux's own waiter-list order. Without the
 *    privilege a warning is printed and such traces may vary.
 *  - Time only bounds the run: any single wait over 10 s is exit 3.
 *
 * EXIT STATUS: 0 ok; 2 malformed input (syntax, page != 4096, a step for a
 * blocked process, m<k> that does not exist); 3 harness bug or unusable
 * environment; 4 step not reproducible on a real process.
 *
 * LINUX BEHAVIOURS OBSERVED (6.18, x86-64, ext4, 4 KiB blocks) that a
 * simulator must match; the first contradicts the contract:
 *  - A store past EOF inside the last page is NOT lost at once: loads in the
 *    same mapping, in other MAP_SHARED mappings and in not-yet-copied
 *    MAP_PRIVATE pages read the stored byte back. pread/fstat never see it.
 *    It becomes 0 when the page is written back: msync (or fsync, or a
 *    `sync` by anyone, or background writeback after ~30 s), and whenever
 *    the size moves: a shrinking ftruncate zeroes the new last page's tail,
 *    a growing ftruncate zeroes from the old size to the end of that block
 *    (even bytes beyond the new size), a pwrite past EOF zeroes only the gap
 *    [old size, write offset) and leaves later past-EOF bytes in place.
 *    So "bytes past end of file in the last page read as 0" holds only for
 *    bytes never stored to, or after one of those events.
 *  - A shrinking ftruncate: shared mappings and uncopied private pages see
 *    the tail zeroed; a copied private page keeps its bytes; whole pages
 *    past the new end give SIGBUS, private copies included; growing again
 *    brings back zeros (a discarded private copy reads 0 afterwards).
 *  - Protection first: a store to a PROT_READ page past EOF is SIGSEGV, a
 *    load there SIGBUS; a store to a writable page wholly past EOF SIGBUS.
 *  - mmap order checked with huge numbers: unaligned off EINVAL before
 *    EBADF before len 0 EINVAL before EACCES; len 2^64-1 is ENOMEM; off
 *    2^64-4096 (negative as off_t) and off 2^63-4096 are EOVERFLOW; prot 8
 *    (PROT_SEM) and prot 0 map fine.
 *  - Lock lengths are off_t: len 2^64-1 is l_len -1, i.e. the one byte
 *    before start (F_SETLK 10 <2^64-1> locks byte 9). start 2^64-1 is
 *    EINVAL; start 2^63-1 len 2 is EOVERFLOW (both for lock and getlk).
 *    getlk with F_UNLCK is EINVAL. ftruncate 2^64-1 is EINVAL, 2^63-1 and
 *    16 TiB are EFBIG (16 TiB - 4096 is the largest ext4 size); pread at
 *    offset 2^64-1 is EINVAL; pread of 2^64-1 bytes is EFAULT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE            4096ull
#define GUARD           (1ull << 30)   /* PROT_NONE on each side of a mapping */
#define CMD_FD          1000           /* child's command pipe (read end)   */
#define RES_FD          1001           /* child's result pipe (write end)   */
#define WAIT_LIMIT_MS   10000          /* any single wait longer = harness bug */
#define SLICE_MS        1
#define EXT4_MAGIC      0xEF53

#define EXIT_MALFORMED   2
#define EXIT_BUG         3
#define EXIT_UNSUPPORTED 4

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

struct name { int num; const char *name; };
#define N(x) { x, #x }

/* Linux's duplicates (EWOULDBLOCK, EDEADLOCK, ENOTSUP) are left out on purpose. */
static const struct name errno_names[] = {
    N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG),
    N(ENOEXEC), N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES),
    N(EFAULT), N(EBUSY), N(EEXIST), N(EXDEV), N(ENODEV), N(ENOTDIR),
    N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE), N(ENOTTY), N(ETXTBSY),
    N(EFBIG), N(ENOSPC), N(ESPIPE), N(EROFS), N(EMLINK), N(EPIPE), N(EDOM),
    N(ERANGE), N(EDEADLK), N(ENAMETOOLONG), N(ENOLCK), N(ENOSYS),
    N(ENOTEMPTY), N(ELOOP), N(EOVERFLOW), N(EOPNOTSUPP), N(ETIMEDOUT),
    N(EDQUOT), N(ENOTSOCK), N(EBADFD), N(ECANCELED),
};

static const struct name signal_names[] = {
    N(SIGSEGV), N(SIGBUS), N(SIGKILL), N(SIGABRT), N(SIGILL), N(SIGFPE),
    N(SIGPIPE), N(SIGTERM), N(SIGXFSZ), N(SIGSYS), N(SIGTRAP), N(SIGINT),
    N(SIGHUP), N(SIGQUIT), N(SIGXCPU),
};

static const char *lookup(const struct name *t, size_t n, int num, char *buf, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].num == num)
            return t[i].name;
    snprintf(buf, len, "#%d", num);   /* never expected; still unambiguous */
    return buf;
}

static const char *errno_name(int e)
{
    static char buf[32];
    return lookup(errno_names, sizeof errno_names / sizeof *errno_names, e, buf, sizeof buf);
}

static const char *signal_name(int s)
{
    static char buf[32];
    return lookup(signal_names, sizeof signal_names / sizeof *signal_names, s, buf, sizeof buf);
}

/* ------------------------------------------------------------------ */
/* Steps: parsing is shared by the parent (validation) and the child   */
/* ------------------------------------------------------------------ */

enum op {
    OP_OPEN, OP_CLOSE, OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_LOAD, OP_STORE,
    OP_MSYNC, OP_PREAD, OP_PWRITE, OP_FTRUNCATE, OP_FSTAT, OP_LOCK, OP_GETLK,
    OP_EXIT,
};

/*
 * Argument patterns, one letter per argument:
 *   u unsigned 64-bit number      k mapping number (>= 1)
 *   i signed load/store index     b byte 0..255
 *   O open mode                   M MAP_SHARED | MAP_PRIVATE
 *   C F_SETLK | F_SETLKW          T F_RDLCK | F_WRLCK | F_UNLCK
 *   h hex bytes or "-"
 * Numbers (u, k, b) go to step.n[] in order.
 */
static const struct {
    const char *name;
    enum op op;
    const char *args;
} ops[] = {
    { "open", OP_OPEN, "O" },          { "close", OP_CLOSE, "u" },
    { "mmap", OP_MMAP, "uuMuu" },      { "munmap", OP_MUNMAP, "kuu" },
    { "mprotect", OP_MPROTECT, "kuuu" }, { "load", OP_LOAD, "ki" },
    { "store", OP_STORE, "kib" },      { "msync", OP_MSYNC, "k" },
    { "pread", OP_PREAD, "uuu" },      { "pwrite", OP_PWRITE, "uuh" },
    { "ftruncate", OP_FTRUNCATE, "uu" }, { "fstat", OP_FSTAT, "u" },
    { "lock", OP_LOCK, "uCTuu" },      { "getlk", OP_GETLK, "uTuu" },
    { "exit", OP_EXIT, "" },
};

struct step {
    enum op op;
    const char *opname;
    uint64_t n[5];
    int64_t index;          /* load/store */
    int mode;               /* O, M or C */
    int type;               /* T */
    unsigned char *data;    /* h */
    size_t datalen;
};

static bool parse_u64(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9')          /* strtoull would accept "-1" and " 1" */
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* Negative via strtoll; non-negative up to 2^64-1 wraps, as address arithmetic would. */
static bool parse_index(const char *s, int64_t *out)
{
    if (*s != '-') {
        uint64_t u;
        if (!parse_u64(s, &u))
            return false;
        *out = (int64_t)u;
        return true;
    }
    if (s[1] < '0' || s[1] > '9')
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* "-" is empty. Returns false on bad hex. *out is malloc'd (may be NULL when empty). */
static bool parse_hex(const char *s, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (strcmp(s, "-") == 0)
        return true;
    size_t n = strlen(s);
    if (n == 0 || n % 2)
        return false;
    unsigned char *b = malloc(n / 2);
    if (!b)
        return false;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(b);
            return false;
        }
        b[i] = (unsigned char)(hi << 4 | lo);
    }
    *out = b;
    *len = n / 2;
    return true;
}

static bool parse_word(const char *w, const char *const *names, const int *vals, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (strcmp(w, names[i]) == 0) {
            *out = vals[i];
            return true;
        }
    return false;
}

static bool parse_arg(char kind, const char *w, struct step *st, int *ni)
{
    static const char *const omodes[] = { "O_RDONLY", "O_WRONLY", "O_RDWR" };
    static const int ovals[] = { O_RDONLY, O_WRONLY, O_RDWR };
    static const char *const mflags[] = { "MAP_SHARED", "MAP_PRIVATE" };
    static const int mvals[] = { MAP_SHARED, MAP_PRIVATE };
    static const char *const cmds[] = { "F_SETLK", "F_SETLKW" };
    static const int cvals[] = { F_SETLK, F_SETLKW };
    static const char *const types[] = { "F_RDLCK", "F_WRLCK", "F_UNLCK" };
    static const int tvals[] = { F_RDLCK, F_WRLCK, F_UNLCK };
    uint64_t v;

    switch (kind) {
    case 'u':
        return parse_u64(w, &st->n[(*ni)++]);
    case 'k':
        if (!parse_u64(w, &v) || v < 1)
            return false;
        st->n[(*ni)++] = v;
        return true;
    case 'b':
        if (!parse_u64(w, &v) || v > 255)
            return false;
        st->n[(*ni)++] = v;
        return true;
    case 'i': return parse_index(w, &st->index);
    case 'O': return parse_word(w, omodes, ovals, 3, &st->mode);
    case 'M': return parse_word(w, mflags, mvals, 2, &st->mode);
    case 'C': return parse_word(w, cmds, cvals, 2, &st->mode);
    case 'T': return parse_word(w, types, tvals, 3, &st->type);
    case 'h': return parse_hex(w, &st->data, &st->datalen);
    }
    return false;
}

/* Parses "<op> <args...>" (text is modified). */
static bool parse_step(char *text, struct step *st)
{
    memset(st, 0, sizeof *st);
    char *save, *w = strtok_r(text, " \t", &save);
    if (!w)
        return false;
    size_t i;
    for (i = 0; i < sizeof ops / sizeof *ops; i++)
        if (strcmp(w, ops[i].name) == 0)
            break;
    if (i == sizeof ops / sizeof *ops)
        return false;
    st->op = ops[i].op;
    st->opname = ops[i].name;
    int ni = 0;
    for (const char *a = ops[i].args; *a; a++) {
        w = strtok_r(NULL, " \t", &save);
        if (!w || !parse_arg(*a, w, st, &ni))
            return false;
    }
    return strtok_r(NULL, " \t", &save) == NULL;
}

static bool uses_mapping(enum op op)
{
    return op == OP_MUNMAP || op == OP_MPROTECT || op == OP_LOAD ||
           op == OP_STORE || op == OP_MSYNC;
}

/* ------------------------------------------------------------------ */
/* Shared state                                                        */
/* ------------------------------------------------------------------ */

static char tmp_dir[PATH_MAX];
static char file_path[PATH_MAX + 16];
static pid_t parent_pid;

static void write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            _exit(EXIT_BUG);
        }
        s += w;
        n -= (size_t)w;
    }
}

/* ------------------------------------------------------------------ */
/* Child: one per trace process                                        */
/* ------------------------------------------------------------------ */

struct map {
    uintptr_t res_lo, res_hi;   /* the whole reservation, guards included */
    uintptr_t base;             /* start of the file mapping */
    uint64_t len, rlen;         /* length asked for, and rounded to pages */
};

static struct map *maps;
static size_t nmaps, maps_cap;
static uintptr_t lowest_reservation;   /* reservations are stacked downwards */

static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void reply(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    write_all(RES_FD, buf, (size_t)n);
}

static void reply_errno(int e) { reply("%s", errno_name(e)); }

/* "!" = harness bug (parent exits 3), "?" = not reproducible (parent exits 4). */
#define child_bug(...) do { reply("!" __VA_ARGS__); _exit(EXIT_BUG); } while (0)
#define child_unsupported(...) do { reply("?" __VA_ARGS__); _exit(EXIT_UNSUPPORTED); } while (0)

/* The contract's byte-string escaping, streamed so that large reads need no big buffer. */
static void reply_bytes(const unsigned char *b, size_t n)
{
    char out[8192];
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (o > sizeof out - 8) {
            write_all(RES_FD, out, o);
            o = 0;
        }
        unsigned char c = b[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (c >= 0x20 && c <= 0x7e) {
            out[o++] = (char)c;
        } else {
            o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
        }
    }
    out[o++] = '"';
    out[o++] = '\n';
    write_all(RES_FD, out, o);
}

/* Descriptors the modelled process does not have become -1, so Linux says EBADF. */
static int trace_fd(uint64_t v)
{
    int fd = (int)v;   /* the real type of an fd argument */
    if (fd <= 2 || fd == CMD_FD || fd == RES_FD)
        return -1;
    return fd;
}

static struct map *mapping(uint64_t k)
{
    if (k < 1 || k > nmaps)   /* the parent checks this; a mismatch is our bug */
        child_bug("no mapping m%" PRIu64 " in the child", k);
    return &maps[k - 1];
}

static void *anon_none(uintptr_t addr, uint64_t len, int extra)
{
    return mmap((void *)addr, len, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extra, -1, 0);
}

static bool overlaps_reservation(uintptr_t lo, uintptr_t hi)
{
    for (size_t i = 0; i < nmaps; i++)
        if (lo < maps[i].res_hi && maps[i].res_lo < hi)
            return true;
    return false;
}

/*
 * Reserves rlen + 2 * GUARD bytes of PROT_NONE below every earlier
 * reservation, so that it can never sit in a hole of an older mapping.
 */
static void reserve(uint64_t rlen, struct map *m)
{
    uint64_t total = rlen + 2 * GUARD;
    void *p = MAP_FAILED;
    if (lowest_reservation > total) {
        uintptr_t hint = lowest_reservation - total;
        p = anon_none(hint, total, MAP_FIXED_NOREPLACE);
        if (p != MAP_FAILED && (uintptr_t)p != hint) {   /* old kernel: just a hint */
            munmap(p, total);
            p = MAP_FAILED;
        }
    }
    if (p == MAP_FAILED) {
        p = anon_none(0, total, 0);
        if (p == MAP_FAILED)
            child_bug("cannot reserve %" PRIu64 " bytes: %s", total, errno_name(errno));
        if (overlaps_reservation((uintptr_t)p, (uintptr_t)p + total))
            child_bug("reservation landed over an older mapping");
    }
    m->res_lo = (uintptr_t)p;
    m->res_hi = (uintptr_t)p + total;
    m->base = m->res_lo + GUARD;
    m->rlen = rlen;
    if (lowest_reservation == 0 || m->res_lo < lowest_reservation)
        lowest_reservation = m->res_lo;
}

/* While a guard is lifted, the range beyond the mapping is really unmapped. */
static void lift_guards(const struct map *m)
{
    munmap((void *)m->res_lo, GUARD);
    munmap((void *)(m->base + m->rlen), GUARD);
}

static void restore_guards(const struct map *m)
{
    if (anon_none(m->res_lo, GUARD, MAP_FIXED_NOREPLACE) != (void *)m->res_lo ||
        anon_none(m->base + m->rlen, GUARD, MAP_FIXED_NOREPLACE) != (void *)(m->base + m->rlen))
        child_bug("cannot restore the guards of a mapping");
}

/*
 * Whether munmap/mprotect(start, len) can be handed to the kernel without
 * it touching memory outside this mapping's reservation. Ranges the kernel
 * rejects on their arguments alone are always safe: that answer is real.
 */
static bool range_is_safe(const struct map *m, uint64_t start, uint64_t len, bool is_munmap)
{
    if (start & (PAGE - 1))
        return true;                         /* EINVAL before anything */
    uint64_t alen = (len + PAGE - 1) & ~(PAGE - 1);   /* wraps to 0 like PAGE_ALIGN */
    if (len == 0 || alen == 0)
        return true;                         /* munmap EINVAL; mprotect 0 or ENOMEM */
    uint64_t end = start + alen;
    if (end < start)
        return true;                         /* wraps: EINVAL / ENOMEM */
    if (is_munmap && end > (1ull << 57))
        return true;                         /* beyond any TASK_SIZE: EINVAL */
    if (start < m->res_lo || start >= m->res_hi)
        return false;
    if (!is_munmap)
        return true;                         /* mprotect stops at the lifted guard */
    return end <= m->res_hi;
}

/* An address outside the reservation is unmapped in the model: fault on the guard instead. */
static volatile unsigned char *access_addr(const struct map *m, int64_t i)
{
    uintptr_t a = m->base + (uintptr_t)i;
    if (a < m->res_lo || a >= m->res_hi)
        a = m->res_lo;
    return (volatile unsigned char *)a;
}

static void do_open(const struct step *s)
{
    int fd = open(file_path, s->mode);
    if (fd < 0)
        reply_errno(errno);
    else
        reply("fd %d", fd);
}

static void do_close(const struct step *s)
{
    if (close(trace_fd(s->n[0])) < 0)
        reply_errno(errno);
    else
        reply("ok");
}

static void do_mmap(const struct step *s)
{
    size_t len = s->n[0];
    int prot = (int)s->n[1];
    int fd = trace_fd(s->n[2]);
    off_t off = (off_t)s->n[3];

    /* Linux's own verdict, in its own order of checks. */
    void *probe = mmap(NULL, len, prot, s->mode, fd, off);
    if (probe == MAP_FAILED) {
        reply_errno(errno);
        return;
    }
    munmap(probe, len);

    struct map m = { .len = len };
    reserve((len + PAGE - 1) & ~(PAGE - 1), &m);
    void *p = mmap((void *)m.base, len, prot, s->mode | MAP_FIXED, fd, off);
    if (p != (void *)m.base)
        child_bug("MAP_FIXED remap failed: %s", errno_name(errno));

    if (nmaps == maps_cap) {
        maps_cap = maps_cap ? 2 * maps_cap : 16;
        maps = realloc(maps, maps_cap * sizeof *maps);
        if (!maps)
            child_bug("out of memory");
    }
    maps[nmaps++] = m;
    reply("map m%zu", nmaps);
}

static void do_munmap(const struct step *s)
{
    const struct map *m = mapping(s->n[0]);
    uint64_t start = m->base + s->n[1], len = s->n[2];
    if (!range_is_safe(m, start, len, true))
        child_unsupported("munmap range reaches more than 1 GiB outside m%" PRIu64, s->n[0]);
    lift_guards(m);
    int r = munmap((void *)start, len), e = errno;
    restore_guards(m);
    if (r < 0)
        reply_errno(e);
    else
        reply("ok");
}

static void do_mprotect(const struct step *s)
{
    const struct map *m = mapping(s->n[0]);
    uint64_t start = m->base + s->n[1], len = s->n[2];
    if (!range_is_safe(m, start, len, false))
        child_unsupported("mprotect start lies more than 1 GiB outside m%" PRIu64, s->n[0]);
    lift_guards(m);
    int r = mprotect((void *)start, len, (int)s->n[3]), e = errno;
    restore_guards(m);
    if (r < 0)
        reply_errno(e);
    else
        reply("ok");
}

static void do_load(const struct step *s)
{
    unsigned v = *access_addr(mapping(s->n[0]), s->index);   /* may kill us */
    reply("0x%02x", v);
}

static void do_store(const struct step *s)
{
    *access_addr(mapping(s->n[0]), s->index) = (unsigned char)s->n[1];   /* may kill us */
    reply("ok");
}

static void do_msync(const struct step *s)
{
    const struct map *m = mapping(s->n[0]);
    if (msync((void *)m->base, m->len, MS_SYNC) < 0)
        reply_errno(errno);
    else
        reply("ok");
}

static void do_pread(const struct step *s)
{
    int fd = trace_fd(s->n[0]);
    off_t off = (off_t)s->n[1];
    size_t n = s->n[2];

    /*
     * The buffer must really be n bytes, or the kernel's EFAULT check
     * would depend on us. A NORESERVE mapping costs only what is read.
     * Only if n does not fit in the address space (> 1 TiB here) do we
     * pass a small stack buffer: buf + n then exceeds user space, and
     * Linux answers EFAULT (or EBADF first) without writing anything.
     */
    unsigned char small[4096];
    unsigned char *buf = small;
    size_t mapped = 0;
    if (n > sizeof small) {
        void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p != MAP_FAILED) {
            buf = p;
            mapped = n;
        } else if (n <= (1ull << 40)) {
            child_bug("cannot allocate a %zu-byte pread buffer", n);
        }
    }
    ssize_t r = pread(fd, buf, n, off);
    int e = errno;
    if (r < 0)
        reply_errno(e);
    else
        reply_bytes(buf, (size_t)r);
    if (mapped)
        munmap(buf, mapped);
}

static void do_pwrite(const struct step *s)
{
    ssize_t r = pwrite(trace_fd(s->n[0]), s->data, s->datalen, (off_t)s->n[1]);
    if (r < 0)
        reply_errno(errno);
    else
        reply("%zd", r);
}

static void do_ftruncate(const struct step *s)
{
    if (ftruncate(trace_fd(s->n[0]), (off_t)s->n[1]) < 0)
        reply_errno(errno);
    else
        reply("ok");
}

static void do_fstat(const struct step *s)
{
    struct stat sb;
    if (fstat(trace_fd(s->n[0]), &sb) < 0)
        reply_errno(errno);
    else
        reply("size %lld", (long long)sb.st_size);
}

static void do_lock(const struct step *s)
{
    struct flock fl = {
        .l_type = (short)s->type, .l_whence = SEEK_SET,
        .l_start = (off_t)s->n[1], .l_len = (off_t)s->n[2],
    };
    if (fcntl(trace_fd(s->n[0]), s->mode, &fl) < 0)   /* F_SETLKW may sleep here */
        reply_errno(errno);
    else
        reply("ok");
}

/* The owner goes back as a raw pid; the parent turns it into a process name. */
static void do_getlk(const struct step *s)
{
    struct flock fl = {
        .l_type = (short)s->type, .l_whence = SEEK_SET,
        .l_start = (off_t)s->n[1], .l_len = (off_t)s->n[2],
    };
    if (fcntl(trace_fd(s->n[0]), F_GETLK, &fl) < 0)
        reply_errno(errno);
    else if (fl.l_type == F_UNLCK)
        reply("F_UNLCK");
    else
        reply("%s pid=%d start=%lld len=%lld", fl.l_type == F_RDLCK ? "F_RDLCK" : "F_WRLCK",
              (int)fl.l_pid, (long long)fl.l_start, (long long)fl.l_len);
}

static void run_in_child(const struct step *s)
{
    switch (s->op) {
    case OP_OPEN: do_open(s); break;
    case OP_CLOSE: do_close(s); break;
    case OP_MMAP: do_mmap(s); break;
    case OP_MUNMAP: do_munmap(s); break;
    case OP_MPROTECT: do_mprotect(s); break;
    case OP_LOAD: do_load(s); break;
    case OP_STORE: do_store(s); break;
    case OP_MSYNC: do_msync(s); break;
    case OP_PREAD: do_pread(s); break;
    case OP_PWRITE: do_pwrite(s); break;
    case OP_FTRUNCATE: do_ftruncate(s); break;
    case OP_FSTAT: do_fstat(s); break;
    case OP_LOCK: do_lock(s); break;
    case OP_GETLK: do_getlk(s); break;
    case OP_EXIT: _exit(0);   /* the kernel closes fds, unmaps, releases locks */
    }
}

/* One command line from the parent, or NULL at EOF (the parent is gone). */
static char *child_read_line(void)
{
    static char *buf;
    static size_t cap;
    size_t len = 0;
    for (;;) {
        if (len + 1 >= cap) {
            cap = cap ? 2 * cap : 4096;
            buf = realloc(buf, cap);
            if (!buf)
                child_bug("out of memory");
        }
        ssize_t r = read(CMD_FD, buf + len, 1);   /* one byte: never read past the line */
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return NULL;
        if (buf[len] == '\n') {
            buf[len] = '\0';
            return buf;
        }
        len++;
    }
}

static void close_from(unsigned lo, unsigned hi)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, lo, hi, 0) == 0)
        return;
#endif
    struct rlimit rl;
    unsigned top = hi;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)top)
        top = (unsigned)rl.rlim_cur;
    for (unsigned fd = lo; fd <= top && fd >= lo; fd++)
        close((int)fd);
}

/*
 * Give the child exactly: 0,1 = /dev/null, 2 = stderr, CMD_FD, RES_FD.
 * The trace's first open() then returns 3, as in the model.
 */
static void child_setup(int cmd_r, int res_w)
{
    if (dup2(cmd_r, CMD_FD) < 0 || dup2(res_w, RES_FD) < 0) {
        fprintf(stderr, "real-kernel: child cannot dup to fd %d: %s\n", CMD_FD, strerror(errno));
        _exit(EXIT_BUG);
    }
    int null = open("/dev/null", O_RDWR);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
        _exit(EXIT_BUG);
    close_from(3, CMD_FD - 1);
    close_from(RES_FD + 1, ~0u);

    /* Die with the parent; no core dumps (they are slow and litter). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent_pid)
        _exit(EXIT_BUG);
    struct rlimit no_core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &no_core);
    prctl(PR_SET_DUMPABLE, 0);

    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);

    /* malloc must not place long-lived blocks with mmap: they could sit in a munmap hole. */
    mallopt(M_MMAP_MAX, 0);
}

static void __attribute__((noreturn)) child_main(int cmd_r, int res_w)
{
    child_setup(cmd_r, res_w);
    for (;;) {
        char *line = child_read_line();
        if (!line)
            _exit(0);
        struct step s;
        if (!parse_step(line, &s))
            child_bug("child cannot parse a step the parent accepted");
        run_in_child(&s);
        free(s.data);
    }
}

/* ------------------------------------------------------------------ */
/* Parent                                                              */
/* ------------------------------------------------------------------ */

enum pstate { P_NEW, P_IDLE, P_BLOCKED, P_DEAD };

struct proc {
    char *name;
    enum pstate state;
    pid_t pid;
    int cmd_fd, res_fd;
    uint64_t nmaps;          /* successful mmaps so far */
    unsigned long block_seq; /* order of blocking */
    char *wake;              /* result of a wake, pending print */
};

struct input_step {
    struct proc *proc;
    char *text;              /* "<op> <args>" as sent to the child */
    struct step st;
    int line;                /* input line number */
};

static struct proc *procs;
static size_t nprocs;
static int current_step;            /* 1-based, for messages */
static struct input_step *current;

static void cleanup(void)
{
    for (size_t i = 0; i < nprocs; i++)
        if (procs[i].pid > 0 && procs[i].state != P_DEAD) {
            kill(procs[i].pid, SIGKILL);
            waitpid(procs[i].pid, NULL, 0);
            procs[i].state = P_DEAD;
        }
    if (file_path[0])
        unlink(file_path);
    if (tmp_dir[0])
        rmdir(tmp_dir);
    file_path[0] = tmp_dir[0] = '\0';
}

static void __attribute__((noreturn, format(printf, 2, 3))) fail(int code, const char *fmt, ...)
{
    fflush(stdout);
    fprintf(stderr, "real-kernel: ");
    if (current)
        fprintf(stderr, "step %d (input line %d: %s %s): ", current_step, current->line,
                current->proc->name, current->text);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cleanup();
    exit(code);
}

static void on_signal(int sig)
{
    /* async-signal-safe subset of cleanup() */
    for (size_t i = 0; i < nprocs; i++)
        if (procs[i].pid > 0 && procs[i].state != P_DEAD)
            kill(procs[i].pid, SIGKILL);
    if (file_path[0])
        unlink(file_path);
    if (tmp_dir[0])
        rmdir(tmp_dir);
    _exit(128 + sig);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- temp file ---- */

static void make_file(const unsigned char *bytes, size_t n)
{
    const char *base = getenv("HARNESS_DIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(tmp_dir, sizeof tmp_dir, "%s/mmap-lab-real.XXXXXX", base);
    if (!mkdtemp(tmp_dir)) {
        tmp_dir[0] = '\0';
        fail(EXIT_BUG, "mkdtemp under %s: %s", base, strerror(errno));
    }

    struct statfs fs;
    struct statvfs vfs;
    if (statfs(tmp_dir, &fs) < 0 || statvfs(tmp_dir, &vfs) < 0)
        fail(EXIT_BUG, "statfs %s: %s", tmp_dir, strerror(errno));
    if (fs.f_type != EXT4_MAGIC && !getenv("HARNESS_ANY_FS"))
        fail(EXIT_BUG, "%s is not on ext4 (f_type 0x%lx); set HARNESS_DIR to an ext4 "
             "directory (or HARNESS_ANY_FS=1 to run anyway)", tmp_dir, (unsigned long)fs.f_type);
    if (vfs.f_flag & ST_NOEXEC)
        fail(EXIT_BUG, "%s is mounted noexec (PROT_EXEC would fail); set HARNESS_DIR", tmp_dir);

    snprintf(file_path, sizeof file_path, "%s/file", tmp_dir);
    int fd = open(file_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        fail(EXIT_BUG, "create %s: %s", file_path, strerror(errno));
    for (size_t done = 0; done < n;) {
        ssize_t w = write(fd, bytes + done, n - done);
        if (w < 0)
            fail(EXIT_BUG, "write %s: %s", file_path, strerror(errno));
        done += (size_t)w;
    }
    close(fd);
}

/* ---- children ---- */

static int child_cpu = -1;   /* every child runs on this one CPU */

/*
 * When one event wakes several waiters (an unlock with many readers
 * waiting), Linux wakes them in its list order, but which of them runs
 * first, and so which lock lands first in the file's lock list, is the
 * scheduler's choice. All children on one CPU under SCHED_FIFO at one
 * priority run strictly in wake-up order, which makes that order Linux's
 * own list order and the run repeatable. Without the privilege we warn.
 */
static void make_scheduling_deterministic(pid_t pid)
{
    static bool warned;
    if (child_cpu < 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        if (sched_getaffinity(0, sizeof set, &set) == 0)
            for (int c = 0; c < CPU_SETSIZE && child_cpu < 0; c++)
                if (CPU_ISSET(c, &set))
                    child_cpu = c;
        if (child_cpu < 0)
            child_cpu = 0;
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(child_cpu, &one);
    struct sched_param sp = { .sched_priority = 1 };
    if ((sched_setaffinity(pid, sizeof one, &one) < 0 ||
         sched_setscheduler(pid, SCHED_FIFO, &sp) < 0) && !warned) {
        warned = true;
        fprintf(stderr, "real-kernel: warning: cannot pin children to one CPU under "
                "SCHED_FIFO (%s); processes woken by the same step may re-run in "
                "any order\n", strerror(errno));
    }
}

static void spawn(struct proc *p)
{
    int cmd[2], res[2];
    if (pipe2(cmd, O_CLOEXEC) < 0 || pipe2(res, O_CLOEXEC) < 0)
        fail(EXIT_BUG, "pipe: %s", strerror(errno));
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        fail(EXIT_BUG, "fork: %s", strerror(errno));
    if (pid == 0)
        child_main(cmd[0], res[1]);
    close(cmd[0]);
    close(res[1]);
    make_scheduling_deterministic(pid);   /* before its first step */
    p->pid = pid;
    p->cmd_fd = cmd[1];
    p->res_fd = res[0];
    p->state = P_IDLE;
}

static void send_step(struct proc *p, const char *text)
{
    size_t n = strlen(text);
    char *msg = malloc(n + 2);
    if (!msg)
        fail(EXIT_BUG, "out of memory");
    memcpy(msg, text, n);
    msg[n] = '\n';
    for (size_t done = 0; done < n + 1;) {
        ssize_t w = write(p->cmd_fd, msg + done, n + 1 - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            fail(EXIT_BUG, "write to %s: %s", p->name, strerror(errno));
        }
        done += (size_t)w;
    }
    free(msg);
}

/* ---- is a child asleep? ---- */

/*
 * Why not poll /proc/locks: reading it takes the kernel's global file_rwsem
 * for writing, which makes every POSIX lock operation on the machine sleep
 * meanwhile. A woken waiter that sleeps there falls behind the next woken
 * waiter, and the lock list order (what getlk reports) changes from run to
 * run. So we watch the children themselves: /proc/<pid>/status gives the
 * scheduler state and the context-switch counts, and takes no lock that
 * fcntl needs. /proc/locks is read only to cross-check, when asked
 * (HARNESS_VERIFY_LOCKS=1), and only when nothing is in motion.
 */
struct task_snap {
    char state;                  /* 'S' = interruptible sleep */
    unsigned long long switches; /* voluntary + involuntary context switches */
};

static struct task_snap snap_task(pid_t pid)
{
    struct task_snap t = { '?', 0 };
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return t;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return t;
    buf[n] = '\0';
    char *l;
    unsigned long long v;
    if ((l = strstr(buf, "\nState:")))
        sscanf(l + 7, " %c", &t.state);
    if ((l = strstr(buf, "\nvoluntary_ctxt_switches:")) && sscanf(l + 25, "%llu", &v) == 1)
        t.switches += v;
    if ((l = strstr(buf, "\nnonvoluntary_ctxt_switches:")) && sscanf(l + 28, "%llu", &v) == 1)
        t.switches += v;
    return t;
}

static bool result_ready(const struct proc *p)
{
    struct pollfd pfd = { .fd = p->res_fd, .events = POLLIN };
    return poll(&pfd, 1, 0) > 0;
}

/* ---- /proc/locks, for the optional cross-check ---- */

static char *read_proc_locks(void)
{
    int fd = open("/proc/locks", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(EXIT_BUG, "open /proc/locks: %s", strerror(errno));
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            fail(EXIT_BUG, "out of memory");
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
        if (!buf)
            fail(EXIT_BUG, "out of memory");
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            fail(EXIT_BUG, "read /proc/locks: %s", strerror(errno));
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    return buf;
}

/* Is pid listed as a waiter, e.g. "1: -> POSIX  ADVISORY  WRITE 4758 fe:00:2146372 0 9"? */
static bool waiter_listed(const char *locks, pid_t pid)
{
    for (const char *line = locks; *line;) {
        const char *eol = strchr(line, '\n');
        const char *arrow = strstr(line, "->");
        if (arrow && (!eol || arrow < eol)) {
            int p;
            if (sscanf(arrow + 2, " %*s %*s %*s %d", &p) == 1 && p == pid)
                return true;
        }
        if (!eol)
            break;
        line = eol + 1;
    }
    return false;
}

/* With HARNESS_VERIFY_LOCKS set: every process we call blocked must be a waiter in /proc/locks. */
static void verify_blocked(void)
{
    static int enabled = -1;
    if (enabled < 0)
        enabled = getenv("HARNESS_VERIFY_LOCKS") != NULL;
    if (!enabled)
        return;
    char *locks = read_proc_locks();
    for (size_t i = 0; i < nprocs; i++)
        if (procs[i].state == P_BLOCKED && !waiter_listed(locks, procs[i].pid))
            fail(EXIT_BUG, "%s (pid %d) is taken as blocked but /proc/locks does not list it "
                 "as a waiter:\n%s", procs[i].name, (int)procs[i].pid, locks);
    free(locks);
}

/* ---- results ---- */

enum wait_result { W_LINE, W_EOF, W_BLOCKED };

/*
 * Waits for p's next result line (W_LINE, *out malloc'd) or EOF (the child
 * is gone). With may_block (an F_SETLKW was just sent, before which p had
 * made `switches_before` context switches), also returns W_BLOCKED once p
 * sleeps again with no answer: after the command arrived, the only place
 * p can sleep without having written its answer first is the lock wait.
 */
static enum wait_result await_result(struct proc *p, bool may_block,
                                     unsigned long long switches_before, char **out)
{
    long long deadline = now_ms() + WAIT_LIMIT_MS;
    size_t cap = 256, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        fail(EXIT_BUG, "out of memory");
    for (;;) {
        struct pollfd pfd = { .fd = p->res_fd, .events = POLLIN };
        int r = poll(&pfd, 1, SLICE_MS);
        if (r < 0 && errno != EINTR)
            fail(EXIT_BUG, "poll: %s", strerror(errno));
        if (r > 0) {
            if (len + 4096 > cap) {
                buf = realloc(buf, cap = 2 * cap + 4096);
                if (!buf)
                    fail(EXIT_BUG, "out of memory");
            }
            ssize_t n = read(p->res_fd, buf + len, cap - len - 1);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                fail(EXIT_BUG, "read from %s: %s", p->name, strerror(errno));
            if (n == 0) {
                if (len)
                    fail(EXIT_BUG, "%s died in the middle of a result", p->name);
                free(buf);
                return W_EOF;
            }
            len += (size_t)n;
            if (buf[len - 1] == '\n') {   /* the child writes nothing after its line */
                buf[len - 1] = '\0';
                *out = buf;
                return W_LINE;
            }
            continue;
        }
        if (may_block && len == 0) {
            struct task_snap t = snap_task(p->pid);
            /* the answer check comes after the state read: an answer is written before sleeping */
            if (t.state == 'S' && t.switches > switches_before && !result_ready(p)) {
                free(buf);
                return W_BLOCKED;
            }
        }
        if (now_ms() > deadline)
            fail(EXIT_BUG, "no answer from %s (pid %d) within %d ms", p->name,
                 (int)p->pid, WAIT_LIMIT_MS);
    }
}

/* Reaps a child whose result pipe hit EOF; returns its wait status. */
static int reap(struct proc *p)
{
    long long deadline = now_ms() + WAIT_LIMIT_MS;
    int status;
    for (;;) {
        pid_t r = waitpid(p->pid, &status, WNOHANG);
        if (r == p->pid)
            break;
        if (r < 0 && errno != EINTR)
            fail(EXIT_BUG, "waitpid %s: %s", p->name, strerror(errno));
        if (now_ms() > deadline)
            fail(EXIT_BUG, "%s closed its pipe but did not exit", p->name);
        struct timespec ts = { 0, 200000 };
        nanosleep(&ts, NULL);
    }
    p->state = P_DEAD;
    close(p->cmd_fd);
    close(p->res_fd);
    return status;
}

static struct proc *proc_by_pid(pid_t pid)
{
    for (size_t i = 0; i < nprocs; i++)
        if (procs[i].pid == pid)
            return &procs[i];
    return NULL;
}

/* Checks the child's special lines and turns a getlk owner pid into a process name. */
static char *finish_result(char *line)
{
    if (line[0] == '!')
        fail(EXIT_BUG, "child: %s", line + 1);
    if (line[0] == '?')
        fail(EXIT_UNSUPPORTED, "cannot reproduce on a real process: %s", line + 1);

    int pid, off = 0;
    char type[8];
    if (sscanf(line, "%7s pid=%d %n", type, &pid, &off) == 2 && off > 0) {
        struct proc *owner = proc_by_pid(pid);
        if (!owner)
            fail(EXIT_BUG, "getlk owner pid %d is not a trace process", pid);
        size_t n = strlen(type) + strlen(owner->name) + strlen(line + off) + 8;
        char *s = malloc(n);
        if (!s)
            fail(EXIT_BUG, "out of memory");
        snprintf(s, n, "%s pid=%s %s", type, owner->name, line + off);
        free(line);
        return s;
    }
    return line;
}

/* ---- settling blocked processes ---- */

static int by_block_order(const void *a, const void *b)
{
    const struct proc *x = *(struct proc *const *)a, *y = *(struct proc *const *)b;
    return (x->block_seq > y->block_seq) - (x->block_seq < y->block_seq);
}

/* Collects the answers of blocked processes that woke; returns whether any did. */
static bool collect_wakes(struct proc **blocked, size_t nb)
{
    bool any = false;
    for (size_t i = 0; i < nb; i++) {
        struct proc *p = blocked[i];
        if (p->state != P_BLOCKED || !result_ready(p))
            continue;
        char *line;
        if (await_result(p, false, 0, &line) != W_LINE)
            fail(EXIT_BUG, "blocked process %s died", p->name);
        p->wake = finish_result(line);
        p->state = P_IDLE;
        any = true;
    }
    return any;
}

/*
 * After a step: wait until nothing is in motion, then print the wakes in
 * the order in which the processes blocked.
 *
 * Nothing is in motion when every still-blocked process is asleep ('S')
 * with the same context-switch count in two passes, and none has an answer
 * waiting afterwards. A woken process is runnable at once (the waker sets
 * it running before its own syscall returns), and one that ran and slept
 * again has a higher count; one that finished and sleeps in its command
 * read wrote its answer first. So at the instant between the passes all of
 * them were asleep and unwoken, and every other child was idle: nothing can
 * change any more until the next step. Only states decide, never timing.
 */
static void settle(void)
{
    struct proc **blocked = malloc((nprocs + 1) * sizeof *blocked);
    struct task_snap *first = malloc((nprocs + 1) * sizeof *first);
    if (!blocked || !first)
        fail(EXIT_BUG, "out of memory");
    size_t nb = 0;
    for (size_t i = 0; i < nprocs; i++)
        if (procs[i].state == P_BLOCKED)
            blocked[nb++] = &procs[i];
    qsort(blocked, nb, sizeof *blocked, by_block_order);

    long long deadline = now_ms() + WAIT_LIMIT_MS;
    for (;;) {
        collect_wakes(blocked, nb);
        for (size_t i = 0; i < nb; i++)
            if (blocked[i]->state == P_BLOCKED)
                first[i] = snap_task(blocked[i]->pid);
        bool still = true;
        for (size_t i = 0; i < nb; i++)
            if (blocked[i]->state == P_BLOCKED) {
                struct task_snap t = snap_task(blocked[i]->pid);
                if (first[i].state != 'S' || t.state != 'S' || t.switches != first[i].switches)
                    still = false;
            }
        if (collect_wakes(blocked, nb))
            continue;            /* someone answered: look again */
        if (still)
            break;
        if (now_ms() > deadline)
            fail(EXIT_BUG, "blocked processes did not settle within %d ms", WAIT_LIMIT_MS);
        struct pollfd *pfds = calloc(nb, sizeof *pfds);
        if (!pfds)
            fail(EXIT_BUG, "out of memory");
        for (size_t i = 0; i < nb; i++)
            pfds[i] = (struct pollfd){ .fd = blocked[i]->state == P_BLOCKED ? blocked[i]->res_fd : -1,
                                       .events = POLLIN };
        poll(pfds, nb, SLICE_MS);
        free(pfds);
    }
    verify_blocked();

    for (size_t i = 0; i < nb; i++)
        if (blocked[i]->wake) {
            printf("%s wakes -> %s\n", blocked[i]->name, blocked[i]->wake);
            free(blocked[i]->wake);
            blocked[i]->wake = NULL;
        }
    free(first);
    free(blocked);
}

/* ---- one step ---- */

static unsigned long block_counter;

static void print_result(const struct input_step *in, const char *result)
{
    printf("%s %s -> %s\n", in->proc->name, in->st.opname, result);
}

static void run_step(struct input_step *in)
{
    struct proc *p = in->proc;
    if (p->state == P_DEAD) {
        print_result(in, "dead");
        return;
    }
    if (p->state == P_BLOCKED)
        fail(EXIT_MALFORMED, "%s is blocked in F_SETLKW and cannot take a step", p->name);
    if (uses_mapping(in->st.op) && in->st.n[0] > p->nmaps)
        fail(EXIT_MALFORMED, "%s has no mapping m%" PRIu64 " (it made %" PRIu64
             " successful mmaps)", p->name, in->st.n[0], p->nmaps);
    if (p->state == P_NEW)
        spawn(p);

    bool may_block = in->st.op == OP_LOCK && in->st.mode == F_SETLKW;
    unsigned long long switches = may_block ? snap_task(p->pid).switches : 0;
    send_step(p, in->text);
    char *line = NULL;
    switch (await_result(p, may_block, switches, &line)) {
    case W_BLOCKED:
        p->state = P_BLOCKED;
        p->block_seq = ++block_counter;
        print_result(in, "blocked");
        break;
    case W_EOF: {
        int status = reap(p);
        if (WIFSIGNALED(status))
            print_result(in, signal_name(WTERMSIG(status)));
        else if (in->st.op == OP_EXIT && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            print_result(in, "ok");
        else
            fail(EXIT_BUG, "%s exited unexpectedly (status 0x%x)", p->name, status);
        break;
    }
    case W_LINE:
        line = finish_result(line);
        if (in->st.op == OP_EXIT)
            fail(EXIT_BUG, "%s answered exit with \"%s\"", p->name, line);
        if (in->st.op == OP_MMAP && strncmp(line, "map m", 5) == 0)
            p->nmaps++;
        print_result(in, line);
        free(line);
        break;
    }
}

/* ---- input ---- */

static struct proc *proc_named(const char *name)
{
    for (size_t i = 0; i < nprocs; i++)
        if (strcmp(procs[i].name, name) == 0)
            return &procs[i];
    return NULL;
}

static bool valid_proc_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static void __attribute__((noreturn, format(printf, 2, 3))) bad_input(int line, const char *fmt, ...)
{
    fflush(stdout);
    fprintf(stderr, "real-kernel: input line %d: ", line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cleanup();
    exit(EXIT_MALFORMED);
}

static void strip(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

/*
 * Reads and checks the whole input before anything runs, as the contract
 * requires for text errors. Returns the steps; the file bytes via *file.
 */
static struct input_step *read_input(size_t *nsteps, unsigned char **file, size_t *file_len)
{
    struct input_step *steps = NULL;
    size_t n = 0, cap = 0, procs_cap = 0;
    bool have_file = false, have_page = false;
    char *line = NULL;
    size_t lcap = 0;
    int lineno = 0;

    while (getline(&line, &lcap, stdin) >= 0) {
        lineno++;
        strip(line);
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')   /* blank lines and comments (handy in fixtures) */
            continue;
        char *sp = strpbrk(s, " \t");
        if (!sp)
            bad_input(lineno, "expected \"<proc> <op> ...\" or a header: %s", s);
        *sp = '\0';
        char *rest = sp + 1;
        while (*rest == ' ' || *rest == '\t')
            rest++;

        if (n == 0 && strcmp(s, "page") == 0) {
            uint64_t page;
            if (have_page || !parse_u64(rest, &page))
                bad_input(lineno, "bad page line");
            if (page != PAGE)
                bad_input(lineno, "page %s: the real kernel runs only with page 4096", rest);
            have_page = true;
            continue;
        }
        if (n == 0 && strcmp(s, "file") == 0) {
            if (have_file || !parse_hex(rest, file, file_len))
                bad_input(lineno, "bad file line (hex bytes or -)");
            have_file = true;
            continue;
        }
        if (!have_file)
            bad_input(lineno, "a file line must come before the first step");
        if (!valid_proc_name(s))
            bad_input(lineno, "bad process name \"%s\"", s);

        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            steps = realloc(steps, cap * sizeof *steps);
            if (!steps)
                bad_input(lineno, "out of memory");
        }
        struct input_step *in = &steps[n];
        in->line = lineno;
        in->text = strdup(rest);
        char *scratch = strdup(rest);
        if (!in->text || !scratch || !parse_step(scratch, &in->st))
            bad_input(lineno, "bad step \"%s %s\"", s, rest);
        free(scratch);
        in->proc = proc_named(s);
        if (!in->proc) {
            if (nprocs == procs_cap) {
                procs_cap = procs_cap ? 2 * procs_cap : 16;
                procs = realloc(procs, procs_cap * sizeof *procs);
                if (!procs)
                    bad_input(lineno, "out of memory");
                /* pointers into procs are taken only after all input is read */
            }
            procs[nprocs] = (struct proc){ .name = strdup(s), .state = P_NEW };
            in->proc = (struct proc *)(uintptr_t)(nprocs + 1);   /* index + 1 for now */
            nprocs++;
        } else {
            in->proc = (struct proc *)(uintptr_t)(in->proc - procs + 1);
        }
        n++;
    }
    free(line);
    if (!have_file)
        bad_input(lineno, "no file line");
    for (size_t i = 0; i < n; i++)   /* procs no longer moves: fix up the pointers */
        steps[i].proc = &procs[(uintptr_t)steps[i].proc - 1];
    *nsteps = n;
    return steps;
}

int main(void)
{
    parent_pid = getpid();
    if (sysconf(_SC_PAGESIZE) != (long)PAGE) {
        fprintf(stderr, "real-kernel: this machine's page size is not 4096\n");
        return EXIT_MALFORMED;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);

    size_t nsteps, file_len;
    unsigned char *file_bytes;
    struct input_step *steps = read_input(&nsteps, &file_bytes, &file_len);
    make_file(file_bytes, file_len);

    for (size_t i = 0; i < nsteps; i++) {
        current_step = (int)i + 1;
        current = &steps[i];
        run_step(current);
        settle();
    }
    current = NULL;
    fflush(stdout);
    cleanup();
    return 0;
}
