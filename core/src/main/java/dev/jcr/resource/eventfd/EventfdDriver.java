package dev.jcr.resource.eventfd;

import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/** eventfd: its whole state is a counter and flags, all visible in fdinfo, so it is recreated exactly. */
public final class EventfdDriver implements ResourceDriver<OpenFd> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.EVENTFD;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "counter and flags");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd));
    }
}
