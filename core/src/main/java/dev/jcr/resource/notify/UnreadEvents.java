package dev.jcr.resource.notify;

import dev.jcr.sys.Linux;

/**
 * The events a notification group (inotify, fanotify) has queued and its program not yet read,
 * measured without consuming them: FIONREAD on jcr's own copy of the fd (pidfd_getfd).
 */
final class UnreadEvents {

    private UnreadEvents() {
    }

    /** Bytes of unread events of fd FD of process PID. */
    static int bytes(int pid, int fd) {
        int pidfd = Linux.pidfdOpen(pid);
        try {
            int mine = Linux.pidfdGetfd(pidfd, fd, pid);
            try {
                return Linux.bytesReadable(mine);
            } finally {
                Linux.close(mine);
            }
        } finally {
            Linux.close(pidfd);
        }
    }

    /**
     * Why a dump refuses a group with BYTES unread: the kernel has no way to queue an event again, so
     * a restored group would start empty and the program would never see them.
     */
    static String refusal(String kind, int bytes) {
        return kind + " has " + bytes + " bytes of unread events; a restored " + kind + " cannot be given them"
                + " back (the kernel queues only events it makes): let the program read them and dump again";
    }
}
