package dev.jcr.app.cli;

import dev.jcr.fault.Cancellation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a dump or restore runs, SIGINT, SIGTERM and SIGHUP do not end the JVM on the spot (which would
 * leave a hidden half-written directory, or kill a half-made tree only through PTRACE_O_EXITKILL):
 * they request a {@link Cancellation}, the engine ends cleanly at its next fault point, and the
 * command exits with 130. The JVM's handlers are back afterwards. Inside the REPL, a script or
 * {@code jcr every} their own handlers stay and request the same cancellation.
 */
final class SignalsCancel {

    private static final String[] SIGNALS = {"INT", "TERM", "HUP"};

    private SignalsCancel() {
    }

    static <T> T during(Callable<T> body) throws Exception {
        Cancellation.reset();
        if (dev.jcr.app.repl.Cancellation.anyRunning()) {
            return body.call(); // inside the REPL, a script or every: their handlers cancel (and say so)
        }
        Map<String, SignalHandler> previous = new LinkedHashMap<>();
        try {
            for (String s : SIGNALS) {
                try {
                    previous.put(s, Signal.handle(new Signal(s), sig -> Cancellation.request("SIG" + sig.getName())));
                } catch (IllegalArgumentException e) {
                    // the JVM keeps this one (e.g. -Xrs): its default then applies
                }
            }
            return body.call();
        } finally {
            previous.forEach((s, h) -> Signal.handle(new Signal(s), h));
        }
    }
}
