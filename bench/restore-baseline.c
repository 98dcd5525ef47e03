/* Physical baselines for bench/restore.sh: read the pages files FILE... once and print the seconds it took.
 *   reuse  pread 1 MiB at a time into one reused buffer: the bytes cross from the page cache once, no
 *          memory is allocated (the cheapest possible read of the same bytes);
 *   fresh  preadv into newly mapped private anonymous memory (MADV_NOHUGEPAGE, as the bench fixture has it):
 *          the kernel also allocates and zeroes every page, which any restore of that memory must pay; the
 *          pages are allocated first with MADV_POPULATE_WRITE (Linux 5.14+), the cheapest way known here
 *          (a page fault per page inside the read costs about a third more).
 * Usage: restore-baseline reuse|fresh FILE... */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: restore-baseline reuse|fresh FILE...\n"); return 2; }
    int fresh = strcmp(argv[1], "fresh") == 0;
    static char buf[1 << 20];
    double t0 = now();
    for (int i = 2; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) { perror(argv[i]); return 1; }
        off_t len = lseek(fd, 0, SEEK_END);
        if (fresh && len > 0) {
            char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (m == MAP_FAILED) { perror("mmap"); return 1; }
            madvise(m, len, MADV_NOHUGEPAGE);
            madvise(m, len, 23 /* MADV_POPULATE_WRITE */);
            for (off_t off = 0; off < len;) {
                struct iovec v = {m + off, len - off};
                ssize_t n = preadv(fd, &v, 1, off);
                if (n <= 0) { perror("preadv"); return 1; }
                off += n;
            }
        } else {
            off_t off = 0;
            ssize_t n;
            while ((n = pread(fd, buf, sizeof buf, off)) > 0) off += n;
        }
        close(fd);
    }
    /* the anonymous memory is freed at exit, outside the measured time (a restore never frees it either) */
    printf("%.6f\n", now() - t0);
    return 0;
}
