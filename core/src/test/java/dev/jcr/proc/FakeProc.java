package dev.jcr.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a small /proc-shaped tree in a temporary directory, for reader tests on fixture text. */
final class FakeProc {

    final Path root;

    FakeProc(Path root) {
        this.root = root;
    }

    static String stat(long pid, String comm, char state, long ppid, long pgid, long sid, int threads) {
        return pid + " (" + comm + ") " + state + " " + ppid + " " + pgid + " " + sid + " 0 -1 4194560 97 0 0 0 3 4 0 0 20 0 "
                + threads + " 0 45592 3133440 414 18446744073709551615 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
    }

    static String status(String name, char state, long pid, long ppid, long tracer, int uid) {
        return "Name:\t" + name + "\nState:\t" + state + " (x)\nTgid:\t" + pid + "\nPid:\t" + pid + "\nPPid:\t" + ppid
                + "\nTracerPid:\t" + tracer + "\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid
                + "\nGid:\t0\t0\t0\t0\nThreads:\t1\nVmSize:\t  3060 kB\nVmRSS:\t  1756 kB\nSigPnd:\t0000000000000000\n"
                + "ShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"
                + "SigCgt:\t0000000000000000\nCapEff:\t0000000000000000\nSeccomp:\t0\nKthread:\t0\n";
    }

    /** Adds process PID with the given parent and comm (one thread, namespaces 4026531836…). */
    FakeProc process(long pid, long ppid, String comm) {
        Path d = root.resolve(Long.toString(pid));
        write(d.resolve("stat"), stat(pid, comm, 'S', ppid, pid, pid, 1));
        write(d.resolve("status"), status(comm, 'S', pid, ppid, 0, 0));
        write(d.resolve("cmdline"), "/bin/" + comm + "\0--flag\0");
        write(d.resolve("task").resolve(Long.toString(pid)).resolve("status"), status(comm, 'S', pid, ppid, 0, 0));
        link(d.resolve("ns").resolve("pid"), "pid:[4026531836]");
        link(d.resolve("ns").resolve("net"), "net:[4026531833]");
        link(d.resolve("cwd"), "/");
        link(d.resolve("root"), "/");
        mkdir(d.resolve("fd"));
        mkdir(d.resolve("fdinfo"));
        mkdir(d.resolve("net"));
        write(d.resolve("maps"), "");
        return this;
    }

    FakeProc self(long pid) {
        link(root.resolve("self"), Long.toString(pid));
        return this;
    }

    static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void link(Path p, String target) {
        try {
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
            Files.createSymbolicLink(p, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void mkdir(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
