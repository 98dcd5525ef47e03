package dev.jcr.resource;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.proc.OpenFd;

/**
 * The whole contract of one kind of open file: the same driver says whether an fd of its kind can
 * be checkpointed ({@link #assess}), writes it into the images ({@link #dump}), checks its images
 * before a restore creates anything ({@link #check}) and recreates it ({@link #restore}), plus, when
 * it needs one, a last step inside the restored process once its fds are in place ({@link #settle}).
 * It is registered once, in {@link DriverTable}; no other class knows the kind. A driver that cannot
 * restore is no FileDriver, and {@link DriverTable} refuses to let such a driver say SUPPORTED.
 *
 * <p>Drivers are shared by every check, dump and restore: whatever a restore must remember (fds
 * made once per object, parsed images) lives in the context ({@link FileImages#derived},
 * {@link RestoreContext#state}), never in the driver.
 */
public interface FileDriver extends ResourceDriver<OpenFd> {

    /** The files.img entry type this driver writes and recreates. */
    FdTypes fileType();

    /**
     * Whether this driver recreates FILE, when several drivers write entries of one {@link #fileType}
     * (REG: terminals by name, deleted files by their ghost image, directories and devices by mode,
     * then regular files). The table asks the drivers of a type in registration order.
     */
    default boolean claims(FileEntry file, FileImages images) {
        return true;
    }

    /**
     * The answer for FD of process PID inside TREE, given ALONE, this driver's {@link #assess} of it: what
     * depends on other processes (a socket's peer, a pty's master) is decided here. The check and the
     * dump both use this answer. The default is ALONE.
     */
    default Assessment assessInTree(long pid, OpenFd fd, Assessment alone, TreeView tree) {
        return alone;
    }

    /** Writes FD of the frozen process into the images through CTX (see {@link ResourceDriver#dump}). */
    @Override
    void dump(OpenFd fd, DumpContext ctx);

    /**
     * Plan time, before anything exists: refuses a FILE (held as USE) that cannot be recreated, with a
     * {@link dev.jcr.image.BadImageException} naming image and field for a corrupt entry (exit 7) or a
     * {@link dev.jcr.restore.RestoreException} for a world that changed (a path gone: CONFLICT). Called
     * for every fd that holds FILE. The default checks nothing.
     */
    default void check(FileEntry file, FdUse use, FileImages images) {
    }

    /**
     * Recreates FILE in jcr and returns jcr's fd (registered with {@link RestoreContext#keep}); the
     * engine then duplicates it into every process that held it. Other descriptions this one refers
     * to are {@link RestoreContext#fd} (opened first, by their own drivers).
     */
    int restore(FileEntry file, RestoreContext ctx);

    /**
     * Runs inside each restored process that holds FILE (as USE, its first fd there), after every fd
     * of that process is installed with its dumped number: for state keyed by fd number inside a
     * process, as epoll registrations are (the driver picks the one process that makes them).
     * Processes come parents first. The default does nothing.
     */
    default void settle(FileEntry file, FdUse use, InProcess process, FileImages images) {
    }
}
