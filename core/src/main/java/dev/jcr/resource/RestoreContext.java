package dev.jcr.resource;

import java.util.function.Supplier;

/**
 * What the restore engine offers a {@link FileDriver} while it recreates one description in jcr:
 * the images ({@link FileImages}), other descriptions by files.img id, and bookkeeping of jcr's fds.
 */
public interface RestoreContext extends FileImages {

    /**
     * The pid on this host of PID, a process or thread as dumped: the same, unless the tree is restored
     * into a new PID namespace (where the dumped pids are the namespace's). What jcr's own calls (open of
     * a /proc path, F_SETOWN) must use; calls made inside the restored processes use the dumped pid.
     */
    default int hostPid(int pid) {
        return pid;
    }

    /** Registers FD (jcr's) so that it is closed when the restore is done; returns it. */
    int keep(int fd);

    /**
     * jcr's fd of description ID, recreated by its own driver on first use: how a description
     * refers to another (a FIFO to its path entry, a future socket to its peer). A cycle of such
     * references is a bad image.
     */
    int fd(int id);

    /**
     * Per-restore state under KEY, made by MAKE on first use and dropped when the restore ends: e.g.
     * the one jcr fd a FIFO or a recreated deleted file is reopened from for each of its descriptions.
     */
    <T> T state(Object key, Supplier<T> make);

    /**
     * Runs UNDO if the restore fails (after the processes created so far are gone), newest first: how a
     * driver takes back what outlives its fds, such as the socket file a bind() created.
     */
    void onFailure(Runnable undo);

    /**
     * Runs ACTION once every process of the tree is rebuilt, right before the tree resumes (the point of
     * no return), in the order asked for; jcr's fds are still open. E.g. TCP connections restored in repair
     * mode leave it here, so that nothing goes on the wire before the whole tree is in place. A failure
     * fails the restore (the tree is killed, {@link #onFailure} steps run).
     */
    void beforeResume(Runnable action);
}
