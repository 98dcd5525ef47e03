/* The TCP bench's two programs in one.
 *
 * tcp-conns N: a server holding N established loopback connections, their clients in the same process
 * (2N connected sockets and a listener; both ends in the tree, so no option is needed). Each client has
 * sent 16 bytes its server end has not read, each server end 16 bytes its client has not read: both
 * queues of every connection hold data. Prints READY. On SIGUSR1 it reads and checks every queued
 * message, sends one more each way on every connection and checks it arrives: PASS N or FAIL.
 *
 * tcp-conns --baseline N ROUNDS: the same N connections opened (connect, accept, 16 bytes each way) and
 * closed ROUNDS times; prints the seconds each round took to open them ("OPEN <s>"): what jcr's dump and
 * restore of the server above are compared with. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t go;
static void on_usr1(int s) { (void)s; go = 1; }

/* The 16 bytes of message ROUND of SIDE ('c' client, 's' server) on connection I. */
static void msg(char *buf, char side, int i, int round) {
    char t[48];
    snprintf(t, sizeof t, "%c%07d-rnd%04d", side, i % 10000000, round % 10000);
    memcpy(buf, t, 16);
    buf[16] = 0;
}

static int readn(int fd, char *buf, int n) {
    int got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) return -1;
        got += r;
    }
    return 0;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Opens N connections to listener L at A: clients in C, server ends in S, one message each way queued. */
static int open_all(int l, struct sockaddr_in *a, int n, int *c, int *s) {
    char buf[17];
    for (int i = 0; i < n; i++) {
        c[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (c[i] < 0 || connect(c[i], (struct sockaddr *)a, sizeof *a)) { perror("connect"); return -1; }
        s[i] = accept(l, NULL, NULL);
        if (s[i] < 0) { perror("accept"); return -1; }
        msg(buf, 'c', i, 0);
        if (write(c[i], buf, 16) != 16) return -1;
        msg(buf, 's', i, 0);
        if (write(s[i], buf, 16) != 16) return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    int baseline = argc > 1 && !strcmp(argv[1], "--baseline");
    int n = atoi(argv[baseline ? 2 : 1]);
    int rounds = baseline ? atoi(argv[3]) : 1;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    signal(SIGUSR1, on_usr1);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 128) || getsockname(l, (struct sockaddr *)&a, &len)) {
        perror("listen"); return 1;
    }
    int *c = calloc(n, sizeof *c), *s = calloc(n, sizeof *s);
    if (baseline) {
        for (int r = 0; r < rounds; r++) {
            double t0 = now();
            if (open_all(l, &a, n, c, s)) return 1;
            printf("OPEN %.6f\n", now() - t0);
            for (int i = 0; i < n; i++) { close(c[i]); close(s[i]); }
        }
        return 0;
    }
    if (open_all(l, &a, n, c, s)) return 1;
    printf("READY %d\n", getpid());
    fflush(stdout);
    while (!go) pause();
    char want[17], got[17];
    int bad = 0;
    for (int i = 0; i < n && !bad; i++) {
        msg(want, 'c', i, 0);
        if (readn(s[i], got, 16) || memcmp(got, want, 16)) bad = i + 1;
        msg(want, 's', i, 0);
        if (!bad && (readn(c[i], got, 16) || memcmp(got, want, 16))) bad = i + 1;
        msg(want, 'c', i, 1);
        if (!bad && (write(c[i], want, 16) != 16 || readn(s[i], got, 16) || memcmp(got, want, 16))) bad = i + 1;
        msg(want, 's', i, 1);
        if (!bad && (write(s[i], want, 16) != 16 || readn(c[i], got, 16) || memcmp(got, want, 16))) bad = i + 1;
    }
    if (bad) printf("FAIL connection %d\n", bad - 1); else printf("PASS %d\n", n);
    fflush(stdout);
    return 0;
}
