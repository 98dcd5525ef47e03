/* bench/dump.sh's target: touches MIB (argv[1]) MiB of anonymous memory with a pattern, prints READY, sleeps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
    size_t len = strtoul(argv[1], NULL, 10) << 20;
    uint64_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) { perror("mmap"); return 1; }
    madvise(m, len, MADV_NOHUGEPAGE);
    for (size_t i = 0; i < len / 8; i++) m[i] = i * 0x9e3779b97f4a7c15ULL;
    printf("READY %d\n", getpid());
    fflush(stdout);
    for (;;) pause();
}
