package dev.jcr.resource.signal;

import dev.jcr.image.proto.SaEntry;
import dev.jcr.image.proto.SiginfoEntry;
import dev.jcr.image.proto.SignalQueueEntry;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.ptrace.SigAction;
import dev.jcr.ptrace.SigInfo;
import dev.jcr.resource.DumpContext;
import com.google.protobuf.ByteString;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.SignalMasks;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import java.util.List;

/** Process-wide signal state: handlers (sigaction), ignored set and shared pending signals. */
public final class SignalStateDriver implements ResourceDriver<ProcessInfo> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.SIGNAL_STATE;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "handlers, ignored and blocked sets, pending signals");
    }

    @Override
    public Assessment assess(ProcessInfo p) {
        SignalMasks s = p.signals();
        List<String> caught = SignalMasks.names(s.caught());
        List<String> pending = SignalMasks.names(s.sharedPending());
        String text = "handlers for " + (caught.isEmpty() ? "no signals" : String.join(", ", caught))
                + (pending.isEmpty() ? "" : "; pending " + String.join(", ", pending));
        return Assessment.supported("signals", kind(), text);
    }

    /**
     * Dispositions of signals 1..64 (without SIGKILL and SIGSTOP), read by rt_sigaction inside the
     * process, and the signals queued for the whole process, peeked without dequeuing them.
     */
    @Override
    public void dump(ProcessInfo p, DumpContext ctx) {
        int pid = ctx.pid();
        TaskCoreEntry.Builder tc = ctx.taskCore();
        for (SigAction a : ctx.remote(pid).sigactions()) {
            tc.addSigactions(SaEntry.newBuilder().setSigaction(a.handler()).setFlags(a.flags())
                    .setRestorer(a.restorer()).setMask(a.mask()).setCompatSigaction(false));
        }
        SignalQueueEntry.Builder q = SignalQueueEntry.newBuilder();
        for (SigInfo s : ctx.tracer().sharedPendingSignals(pid)) {
            q.addSignals(SiginfoEntry.newBuilder().setSiginfo(ByteString.copyFrom(s.raw())));
        }
        tc.setSignalsS(q);
    }
}
