package dev.jcr.resource.file;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Regular files unlinked while open. The dump copies their content into the images (a "ghost
 * file", as CRIU calls it) and restore recreates and unlinks a file with that content. The copy
 * costs image space, so it is limited; bigger files are refused with their size.
 */
public final class DeletedFileDriver implements ResourceDriver<OpenFd> {

    private final long limitBytes;

    public DeletedFileDriver(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.DELETED_FILE;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "content copied into the image up to "
                + FdDescriber.size(limitBytes) + "; bigger ones are unsupported");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        FdDetail.File f = (FdDetail.File) fd.detail();
        if (f.size() > limitBytes) {
            return Assessment.unsupported(fd.label(), kind(), FdDescriber.describe(fd)
                    + ": larger than the ghost-file limit of " + FdDescriber.size(limitBytes) + ": not supported");
        }
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd) + ", content saved as a ghost file");
    }
}
