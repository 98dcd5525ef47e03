package dev.jcr.resource.signal;

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
}
