package dev.jcr.resource.socket;

import dev.jcr.proc.FdClassifier;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.SocketDiag;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceKind;

/**
 * What every socket family driver asks of a socket fd first: its inode, the kernel's socket table of its
 * network namespace, and the two answers that end an assessment early (the table cannot be read there,
 * or the socket is no longer in it).
 */
public final class SocketFds {

    private SocketFds() {
    }

    /** The inode N of FD's socket:[N]. */
    public static long inode(OpenFd fd) {
        long n = FdClassifier.bracketInode(fd.link());
        return n > 0 ? n : fd.inode();
    }

    /** The kernel's socket table of FD's network namespace. */
    public static SocketDiag diag(OpenFd fd) {
        return ((FdDetail.Socket) fd.detail()).diag();
    }

    /** An UNSUPPORTED answer naming why FD's table cannot be read (e.g. another network namespace), or null. */
    public static Assessment unreadable(OpenFd fd, ResourceKind kind) {
        String why = diag(fd).unavailable();
        return why == null ? null : Assessment.unsupported(fd.label(), kind, FdDescriber.describe(fd) + ": " + why);
    }

    /** The answer for a socket that is no longer in its table: it was closed while jcr looked. */
    public static Assessment gone(OpenFd fd, ResourceKind kind) {
        return Assessment.unsupported(fd.label(), kind, FdDescriber.describe(fd)
                + ": not in the kernel's socket table (closed meanwhile?)");
    }
}
