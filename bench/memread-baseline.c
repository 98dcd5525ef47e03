/* Physical baseline for bench/memread.sh: touch N MiB of anonymous memory, then time writing it to a
 * file in DIR with write(2) (the bytes go from memory to the page cache once). Median of ROUNDS after
 * two warm-ups. Also times a plain memcpy of the same bytes. Prints "c-write SECONDS" and "c-memcpy SECONDS". */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

int main(int argc, char **argv) {
    size_t len = strtoul(argv[1], NULL, 10) << 20;
    const char *path = argv[2];
    int rounds = argc > 3 ? atoi(argv[3]) : 5;
    char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *d = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise(m, len, MADV_NOHUGEPAGE);
    for (size_t i = 0; i < len; i += 8) *(size_t *)(m + i) = i * 0x9e3779b97f4a7c15ULL;
    memset(d, 1, len);
    double t[64];
    for (int r = -2; r < rounds; r++) {
        unlink(path);
        double t0 = now();
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        for (size_t off = 0; off < len;) { ssize_t n = write(fd, m + off, len - off); if (n <= 0) { perror("write"); return 1; } off += n; }
        close(fd);
        if (r >= 0) t[r] = now() - t0;
    }
    qsort(t, rounds, sizeof t[0], cmp);
    printf("c-write %.6f\n", t[rounds / 2]);
    for (int r = -2; r < rounds; r++) {
        double t0 = now();
        memcpy(d, m, len);
        if (r >= 0) t[r] = now() - t0;
    }
    qsort(t, rounds, sizeof t[0], cmp);
    printf("c-memcpy %.6f\n", t[rounds / 2]);
    unlink(path);
    return 0;
}
