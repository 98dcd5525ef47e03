/* The physical baseline of bench/dump.sh: writes MIB (argv[1]) MiB from (touched) memory to FILE (argv[2]) with
 * write(2) in 1 MiB calls, then fsync (jcr syncs its images too). Prints "write_s fsync_s". */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    size_t len = strtoul(argv[1], NULL, 10) << 20;
    uint64_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise(m, len, MADV_NOHUGEPAGE); /* as the dumped memhog's memory */
    for (size_t i = 0; i < len / 8; i++) m[i] = i * 0x9e3779b97f4a7c15ULL;
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
    double t0 = now();
    for (size_t off = 0; off < len; off += 1 << 20) {
        if (write(fd, (char *)m + off, 1 << 20) != 1 << 20) { perror("write"); return 1; }
    }
    double t1 = now();
    fsync(fd);
    double t2 = now();
    close(fd);
    printf("%.6f %.6f\n", t1 - t0, t2 - t1);
    return 0;
}
