package dev.jcr.resource.pipe;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/** Named pipes: reopened by path (which must still exist), buffered data saved like a pipe's. */
public final class FifoDriver implements ResourceDriver<OpenFd> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.FIFO;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "reopened by path while the FIFO exists; buffered data");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        FdDetail.File f = (FdDetail.File) fd.detail();
        if (f.path().deleted()) {
            return Assessment.unsupported(fd.label(), kind(), "FIFO " + f.path().path()
                    + " was removed: not supported yet");
        }
        return Assessment.supported(fd.label(), kind(), "FIFO " + f.path().path());
    }
}
