/* Benchmark subject and baseline for unix sockets (bench/unix.sh).
 *   unix-pairs N          creates N stream socketpairs, 64 bytes queued in each direction of each, prints
 *                         READY <pid> and waits (the process jcr dumps and restores)
 *   unix-pairs N --time   creates the same objects, prints the seconds it took, and exits (the baseline)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    int timed = argc > 2 && !strcmp(argv[2], "--time");
    struct rlimit r;
    getrlimit(RLIMIT_NOFILE, &r);
    if (r.rlim_cur < (rlim_t)(2 * n + 64)) {
        r.rlim_cur = 2 * n + 64 < r.rlim_max ? 2 * n + 64 : r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
    char data[64];
    memset(data, 'x', sizeof data);
    double t0 = now();
    for (int i = 0; i < n; i++) {
        int sp[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) || write(sp[0], data, sizeof data) != sizeof data
                || write(sp[1], data, sizeof data) != sizeof data) {
            perror("socketpair");
            return 1;
        }
    }
    if (timed) {
        printf("%.6f\n", now() - t0);
        return 0;
    }
    printf("READY %d\n", getpid());
    fflush(stdout);
    for (;;) pause();
}
