package dev.jcr.resource.memory;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.ptrace.WriteTracker;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.OmittedFd;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import dev.jcr.resource.anon.Refused;

/**
 * userfaultfds: only the one jcr itself leaves in a process to track its writes between incremental
 * dumps ({@link WriteTracker}), recognised by its feature set. It is jcr's, not the program's: a dump
 * leaves it out of the images (a restored process never had it) and a restore has nothing to do. A
 * program's own userfaultfd (registered ranges, a fault handler somewhere) is not supported.
 */
public final class WriteTrackerDriver implements OmittedFd {

    @Override
    public ResourceKind kind() {
        return ResourceKind.USERFAULTFD;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "only jcr's own write tracker (incremental dumps), left out of the image");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        if (isTracker(fd)) {
            return Assessment.supported(fd.label(), kind(), "jcr's write tracker (incremental dumps): not part of the image");
        }
        return Assessment.unsupported(fd.label(), kind(), "userfaultfd: not supported: " + Refused.USERFAULTFD_WHY);
    }

    public static boolean isTracker(OpenFd fd) {
        return fd.detail() instanceof FdDetail.Userfaultfd u && WriteTracker.isTracker(u.features());
    }
}
