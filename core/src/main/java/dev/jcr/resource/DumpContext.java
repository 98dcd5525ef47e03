package dev.jcr.resource;

import com.google.protobuf.Message;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.ptrace.RemoteSyscalls;
import dev.jcr.ptrace.Tracer;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * What a driver sees while it dumps one resource of one frozen process: the process, the tracer that
 * holds it, remote syscalls inside its threads, and the places its answers go. The dump engine
 * implements it; drivers only describe their resource in image terms, so that the engine knows no
 * resource kind and a driver knows nothing about image files, ids or ordering.
 */
public interface DumpContext {

    /** The process being dumped. */
    int pid();

    /** /proc as jcr reads it. */
    ProcFs proc();

    /** The tracer holding the frozen tree (registers, FPU state, masks, pending signals, rseq). */
    Tracer tracer();

    /**
     * A remote-syscall session in stopped thread TID of this process, opened on first use and closed
     * by the engine when the process is done (the thread gets its registers back then).
     */
    RemoteSyscalls remote(int tid);

    /** /proc/PID/fd/N of this process, a path through which jcr reaches the open file itself. */
    Path fdPath(int fd);

    /**
     * Records open fd FD of TYPE. An open file description shared with an fd recorded earlier (a dup,
     * or one inherited across fork) reuses that fd's files.img entry; otherwise ENTRY makes the new
     * entry from the id it is given.
     */
    void addFd(OpenFd fd, FdTypes type, IntFunction<FileEntry> entry);

    /**
     * The F_SETOWN owner of FD's open file description as the dump records it, or null when it has
     * none. {@link #addFd} puts it into the entry's fown field itself; a driver whose entry has no
     * fown field puts it where CRIU keeps it (a FIFO: in its path entry).
     */
    dev.jcr.sys.FileCalls.Owner owner(OpenFd fd);

    /** The files.img id of fd FD of this process, recorded by {@link #addFd} (fds are dumped before what refers to them). */
    int fileIdOf(int fd);

    /**
     * The files.img id for KEY (a path-like object that is not an fd: mapped files, exe, cwd, root),
     * made once per dump by ENTRY.
     */
    int fileId(Object key, IntFunction<FileEntry> entry);

    /** A fresh files.img id and its entry (e.g. the regular-file half of a FIFO). */
    int addFile(IntFunction<FileEntry> entry);

    /** True the first time KEY is seen in this dump: for objects shared between fds and processes (pipe data). */
    boolean firstTime(Object key);

    /**
     * Appends ENTRY (and its blob EXTRA, or null) to the dump-wide image KIND/ID (ID null for fixed
     * names, e.g. pipes-data.img): how a driver writes images of its own kind beside files.img. The
     * image is created on first use and complete when the dump is.
     */
    void addEntry(ImageKind kind, Object id, Message entry, byte[] extra);

    /** Writes the content of a deleted file as ghost-file-ID.img; returns the ghost id for remap-fpath. */
    int addGhostFile(int fileId, dev.jcr.image.proto.GhostFileEntry entry, Path content, long size);

    /**
     * Saves the content of shared anonymous memory object SHMID once per dump (pagemap-shmem-SHMID.img
     * and its pages image, offsets within the object as addresses), read through OBJECT, a
     * /proc/PID/map_files link that opens the object itself.
     */
    void addSharedMemory(long shmid, Path object);

    /** Records one memory area and which of its pages go into the pages image. */
    void addVma(VmaEntry vma, PageSelection pages);

    /** core-TID.img of thread TID, filled by the thread and signal drivers. */
    CoreEntry.Builder threadCore(int tid);

    /** The process-wide part (tc) of the leader's core image. */
    TaskCoreEntry.Builder taskCore();

    /** True when the user allowed terminals to be left behind (--shell-job). */
    boolean shellJob();

    /** True when the user gave OPTION (e.g. {@link Options#EXT_UNIX_SK}). */
    boolean option(String option);

    /** True when the tree is killed once the images are written (--kill): it will not run on. */
    boolean killAfter();

    /** The whole tree being dumped: every process, every fd (see {@link FileDriver#assessInTree}). */
    TreeView tree();

    /**
     * jcr's duplicate of fd FD of this process (pidfd_getfd), open until the dump ends: how a driver
     * reads state the kernel keeps per open file (socket options and queues, terminal settings).
     */
    int localFd(int fd);

    /**
     * Dump-wide state under KEY, made by MAKE on first use (e.g. one socket table for every process, the
     * sockets seen so far), dropped when the dump ends. Drivers are shared: their state lives here.
     */
    <T> T shared(Object key, java.util.function.Supplier<T> make);

    /**
     * Runs ACTION once per KEY after every process of the tree is dumped, while the tree is still
     * frozen and before any image is written: for what needs all processes seen (a socket's peer dumped
     * elsewhere in the tree). It may throw {@link NotDumpableException}: the dump then fails, unharmed.
     */
    void atEnd(Object key, Runnable action);

    /** Runs UNDO if the dump fails while the tree is frozen (e.g. data taken out of a terminal put back). */
    void onFailure(Runnable undo);

    /**
     * Runs ACTION once the dump has succeeded, while the tree is still frozen, right before it is let go:
     * before it runs on, or (--kill, {@link #killAfter()}) after the images are committed and before it is
     * killed. Not run when the dump fails ({@link #onFailure} is). E.g. TCP connections locked for the dump
     * are unlocked here, or put in repair mode so that the kill closes them without a word to their peers.
     */
    void beforeRelease(Runnable action);
}
