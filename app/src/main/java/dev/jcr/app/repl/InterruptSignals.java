package dev.jcr.app.repl;

import java.util.concurrent.Callable;
import org.jline.utils.Signals;

/**
 * Outside the interactive REPL (scripts, {@code jcr every} on the shell) SIGINT and SIGTERM would
 * end the JVM on the spot; while BODY runs they cancel the running command instead, so that a
 * periodic run ends with its report and a dump finishes leaving its target unharmed.
 */
final class InterruptSignals {

    private InterruptSignals() {
    }

    static <T> T cancelDuring(Cancellation cancellation, Callable<T> body) throws Exception {
        Object previousInt = Signals.register("INT", cancellation::cancel);
        Object previousTerm = Signals.register("TERM", cancellation::cancel);
        try {
            return body.call();
        } finally {
            Signals.unregister("INT", previousInt);
            Signals.unregister("TERM", previousTerm);
        }
    }
}
