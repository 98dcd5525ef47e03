package dev.jcr.resource.file;

import dev.jcr.JcrException.Kind;
import dev.jcr.Quote;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.TreeView;
import dev.jcr.resource.Verdict;
import dev.jcr.restore.RestoreException;

/**
 * Paths of kernel-made file systems (/proc, /sys). Their files are reopened by path; a /proc/PID path
 * names a process, which must be restored with it (it keeps its pid, so the path reaches the restored
 * process's own /proc entry; the fd link never says "self": the kernel resolved it to the pid at open).
 */
public final class VirtualFs {

    private VirtualFs() {
    }

    public static boolean isVirtual(String path) {
        return path.equals("/proc") || path.startsWith("/proc/") || path.equals("/sys") || path.startsWith("/sys/");
    }

    /** The N of /proc/N or /proc/N/..., or -1 when the path names no process. */
    static long pidOf(String path) {
        return number(path, "/proc/");
    }

    /**
     * The T of /proc/N/task/T/... when T is another thread than N's main one, else -1: restore opens
     * files before it recreates threads, so such a path does not exist yet when it is reopened.
     */
    static long otherThreadOf(String path) {
        long pid = pidOf(path);
        if (pid < 0) {
            return -1;
        }
        long tid = number(path, "/proc/" + pid + "/task/");
        return tid > 0 && tid != pid ? tid : -1;
    }

    private static long number(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return -1;
        }
        int end = path.indexOf('/', prefix.length());
        String n = end < 0 ? path.substring(prefix.length()) : path.substring(prefix.length(), end);
        if (n.isEmpty() || n.length() > 10 || !n.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(n);
    }

    /**
     * The answer for a file or directory WHAT at a /proc or /sys PATH, opened as LABEL: reopened by path;
     * a thread's own /proc directory is refused ({@link #inTree} decides a /proc/PID path).
     */
    static Assessment assess(String label, ResourceKind kind, String what, String path) {
        long thread = otherThreadOf(path);
        if (thread > 0) {
            return Assessment.unsupported(label, kind, what + ": a file of thread " + thread + "'s /proc directory,"
                    + " which restore recreates only after the files: not supported yet");
        }
        long pid = pidOf(path);
        return Assessment.supported(label, kind, what + (pid < 0 ? ", reopened by path" : ", a file of process " + pid));
    }

    /** ALONE inside TREE: a /proc/PID path is reopened only when PID is restored with it (it keeps its pid). */
    static Assessment inTree(Assessment alone, String path, TreeView tree) {
        long pid = pidOf(path);
        if (alone.verdict() != Verdict.SUPPORTED || pid < 0 || tree.contains(pid)) {
            return alone;
        }
        return Assessment.unsupported(alone.resource(), alone.kind(), alone.reason() + ": " + tree.describe(pid)
                + " is not part of the dumped tree: not supported");
    }

    /**
     * Plan-time check of a REG entry at a /proc or /sys path (true), or false for any other path: a
     * /proc/PID path must name a process of the restore (it does not exist yet, but will with that
     * pid); any other kernel path must exist.
     */
    static boolean check(FileEntry file, FdUse use, FileImages images) {
        String name = Reopen.path(file, use, images).toString();
        if (!isVirtual(name)) {
            return false;
        }
        String refusal = refusal(name, images.pids());
        if (refusal != null) {
            throw new RestoreException(Kind.UNSUPPORTED, use + ": " + refusal);
        }
        if (pidOf(name) < 0) {
            Reopen.checkExists(file, use, images);
        }
        return true;
    }

    /**
     * Why a file at PATH cannot be reopened by a restore of the processes PIDS, or null when it can (or is
     * no /proc path): the restore's own rule, which {@code jcr-show summary} reports too.
     */
    public static String refusal(String path, java.util.Set<Integer> pids) {
        long pid = pidOf(path);
        if (pid > 0 && !pids.contains((int) pid)) {
            return Quote.of(path) + " belongs to process " + pid + ", which is not restored";
        }
        long thread = otherThreadOf(path);
        if (thread > 0) {
            return Quote.of(path) + " belongs to thread " + thread + ", which restore recreates only after the files";
        }
        return null;
    }
}
