package dev.jcr.app.top.model;

import java.nio.file.Path;

/**
 * The dump as jcr-top calls it: the same core call the CLI's {@code jcr dump} makes, behind this small
 * interface so the dialog can be built and tested before and independently of the engine.
 */
public interface DumpAction {

    /** Null when dumping is possible; otherwise why not, in words (shown in the status line). */
    String unavailableReason();

    /**
     * Dumps PID into DIR (which must not exist; its parent must), reporting progress; throws a
     * JcrException with the reason when it refuses, leaving the process running.
     */
    DumpOutcome dump(long pid, Path dir, boolean killAfter, boolean shellJob, DumpProgress progress);

    /** Progress of a running dump; called from the dumping thread. */
    interface DumpProgress {
        void phase(String phase);

        void pages(long written, long total);
    }

    /** What a finished dump reports. */
    record DumpOutcome(Path dir, String summary) {
    }

    /** The action while the dump engine is not in this build: it says so and does nothing. */
    static DumpAction notInThisBuild() {
        return new DumpAction() {
            @Override
            public String unavailableReason() {
                return "the dump engine is not in this build yet";
            }

            @Override
            public DumpOutcome dump(long pid, Path dir, boolean killAfter, boolean shellJob, DumpProgress progress) {
                throw new IllegalStateException(unavailableReason());
            }
        };
    }
}
