package dev.jcr.ptrace;

import java.util.ArrayList;
import java.util.List;

/**
 * One thread jcr has seized. Mutable bookkeeping owned by the {@link Tracer} thread: the kind of
 * stop it is in, and signals the tracer had to hold back (they are queued again at detach so the
 * task loses none).
 */
public final class TracedTask {
    private final int tid;
    private final int tgid;
    private StopKind stop;
    private int groupStopSignal;
    private final List<byte[]> deferredSignals = new ArrayList<>();
    private boolean expendable;
    private RemoteSyscalls session;

    TracedTask(int tid, int tgid, StopKind stop) {
        this(tid, tgid, stop, false);
    }

    TracedTask(int tid, int tgid, StopKind stop, boolean expendable) {
        this.tid = tid;
        this.tgid = tgid;
        this.stop = stop;
        this.expendable = expendable;
    }

    /**
     * True for a task that dies with jcr (PTRACE_O_EXITKILL: a restore's seed and what it builds):
     * remote syscalls need not keep it safe from jcr's death. False for every task of a target.
     */
    public boolean expendable() {
        return expendable;
    }

    void expendable(boolean e) {
        this.expendable = e;
    }

    /** The remote session open on this task, or null. */
    RemoteSyscalls session() {
        return session;
    }

    void session(RemoteSyscalls s) {
        this.session = s;
    }

    public int tid() {
        return tid;
    }

    /** The process (thread group) this thread belongs to. */
    public int tgid() {
        return tgid;
    }

    public StopKind stop() {
        return stop;
    }

    void stop(StopKind s) {
        this.stop = s;
    }

    /** The stop signal (SIGSTOP, SIGTSTP …) when the task was found group-stopped, else 0. */
    public int groupStopSignal() {
        return groupStopSignal;
    }

    void groupStopSignal(int sig) {
        this.groupStopSignal = sig;
    }

    /** siginfos (128 bytes each) of signals caught while the task was driven; re-queued at detach. */
    public List<byte[]> deferredSignals() {
        return List.copyOf(deferredSignals);
    }

    void deferSignal(byte[] siginfo) {
        deferredSignals.add(siginfo);
    }

    List<byte[]> takeDeferredSignals() {
        List<byte[]> l = new ArrayList<>(deferredSignals);
        deferredSignals.clear();
        return l;
    }

    @Override
    public String toString() {
        return "task " + tid + " of " + tgid + " (" + stop + ")";
    }
}
