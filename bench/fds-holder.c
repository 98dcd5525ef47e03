/* The process bench/fds.sh checkpoints, and the C baseline it is compared with: makes N objects of one
 * kind and prints how long making them took ("MADE <seconds>"), then READY, and waits.
 *   eventfd  one epoll instance watching N eventfds (N + 1 fds)
 *   pipe     one epoll instance watching the read ends of N/2 pipes (N + 1 fds)
 *   inotify  one inotify instance with N watches, on N files made first in DIR (not timed)
 * Usage: fds-holder eventfd|pipe|inotify N [DIR] */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int die(const char *what) { perror(what); return 1; }

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: fds-holder eventfd|pipe|inotify N [DIR]\n"); return 2; }
    const char *kind = argv[1];
    int n = atoi(argv[2]);
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0) { r.rlim_cur = r.rlim_max; setrlimit(RLIMIT_NOFILE, &r); }
    char path[4096];
    if (!strcmp(kind, "inotify")) {
        if (argc < 4) return die("inotify needs DIR");
        for (int i = 0; i < n; i++) {
            snprintf(path, sizeof path, "%s/f%d", argv[3], i);
            int f = open(path, O_CREAT | O_WRONLY, 0600);
            if (f < 0) return die(path);
            close(f);
        }
    }
    double t0 = now();
    if (!strcmp(kind, "inotify")) {
        int in = inotify_init1(IN_NONBLOCK);
        if (in < 0) return die("inotify_init1");
        for (int i = 0; i < n; i++) {
            snprintf(path, sizeof path, "%s/f%d", argv[3], i);
            if (inotify_add_watch(in, path, IN_MODIFY | IN_ATTRIB) < 0) return die("inotify_add_watch");
        }
    } else {
        int ep = epoll_create1(0);
        if (ep < 0) return die("epoll_create1");
        int pipes = !strcmp(kind, "pipe");
        for (int i = 0; i < (pipes ? n / 2 : n); i++) {
            int fd, p[2];
            if (pipes) {
                if (pipe(p)) return die("pipe");
                fd = p[0];
            } else if ((fd = eventfd(0, EFD_NONBLOCK)) < 0) {
                return die("eventfd");
            }
            struct epoll_event ev = { .events = EPOLLIN, .data.u64 = i };
            if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) return die("epoll_ctl");
        }
    }
    printf("MADE %.6f\nREADY %d\n", now() - t0, getpid());
    fflush(stdout);
    for (;;) pause();
}
