package dev.jcr.resource.pipe;

import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/** Anonymous pipes: both ends are recreated and the buffered data is saved and put back. */
public final class PipeDriver implements ResourceDriver<OpenFd> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.PIPE;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "both ends and buffered data");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd));
    }
}
