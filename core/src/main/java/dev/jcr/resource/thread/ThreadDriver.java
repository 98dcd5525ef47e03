package dev.jcr.resource.thread;

import dev.jcr.resource.DumpContext;
import dev.jcr.proc.ProcessState;
import dev.jcr.proc.ThreadInfo;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/** Threads: registers, signal mask and per-thread pending signals are saved through ptrace. */
public final class ThreadDriver implements ResourceDriver<ThreadInfo> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.THREAD;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "registers, signal mask, pending signals");
    }

    @Override
    public Assessment assess(ThreadInfo t) {
        String label = "thread " + t.tid();
        if (t.state() == ProcessState.ZOMBIE || t.state() == ProcessState.DEAD) {
            return Assessment.unsupported(label, kind(), "thread " + t.comm() + " has exited but was not joined");
        }
        return Assessment.supported(label, kind(), "thread " + t.comm() + " ("
                + (t.state() == null ? "?" : t.state().name().toLowerCase().replace('_', ' ')) + ")");
    }

    /**
     * core-TID.img: general registers (fs/gs base included), full xsave state, signal mask and the
     * thread's own pending signals, rseq, clear-tid address, robust list, sigaltstack, scheduling,
     * credentials and name.
     */
    @Override
    public void dump(ThreadInfo t, DumpContext ctx) {
        ThreadState.dump((int) t.tid(), ctx);
    }
}
