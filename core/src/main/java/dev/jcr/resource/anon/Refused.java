package dev.jcr.resource.anon;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import java.util.List;

/**
 * Kinds of anonymous inode that jcr knowingly refuses, each with the reason why, instead of the
 * generic "not supported yet": their state lives in the kernel where no interface reads it back or
 * sets it again (a restore could only make an empty one, and the program would run on with the wrong
 * one). They stay UNSUPPORTED, so they have no dump or restore; the reason is what a user reads in
 * {@code jcr check}.
 */
public final class Refused implements ResourceDriver<OpenFd> {

    /** Why a program's own userfaultfd is refused. */
    public static final String USERFAULTFD_WHY = "its registered ranges, features and faults waiting for an answer"
            + " cannot be read back";

    private final ResourceKind kind;
    private final String why;

    private Refused(ResourceKind kind, String why) {
        this.kind = kind;
        this.why = why;
    }

    /**
     * The refusals, one driver per kind. userfaultfd is not among them: jcr's own write tracker is one,
     * and {@code memory.WriteTrackerDriver} refuses every other with {@link #USERFAULTFD_WHY}.
     */
    public static List<Refused> all() {
        return List.of(
                new Refused(ResourceKind.PIDFD, "a restore would have to make it name the restored process, and jcr"
                        + " recreates no pidfds"),
                new Refused(ResourceKind.IO_URING, "its rings, registered files and buffers and the requests in flight"
                        + " live in the kernel, which offers no way to read them back or set them again"),
                new Refused(ResourceKind.PERF_EVENT, "its event attributes and counts cannot be read back from outside"
                        + " the program that opened it"),
                new Refused(ResourceKind.BPF, "BPF objects are loaded into the kernel and shared beyond the process"
                        + " (pinned, attached); jcr does not dump or reload them"));
    }

    @Override
    public ResourceKind kind() {
        return kind;
    }

    @Override
    public Support support() {
        return new Support(Verdict.UNSUPPORTED, "refused: " + why);
    }

    @Override
    public Assessment assess(OpenFd fd) {
        String what = fd.detail() instanceof FdDetail.Pidfd p && p.pid() > 0 ? "pidfd of process " + p.pid()
                : FdDescriber.describe(fd);
        return Assessment.unsupported(fd.label(), kind, what + ": not supported: " + why);
    }
}
