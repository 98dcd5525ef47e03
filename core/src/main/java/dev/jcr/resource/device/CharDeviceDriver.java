package dev.jcr.resource.device;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.file.Reopen;
import dev.jcr.resource.file.ReopenedByPath;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import java.util.Set;

/**
 * Character devices without state of their own: /dev/null, /dev/zero, /dev/random, /dev/urandom
 * (recognised by device number, not by path). Any other device may hold state jcr cannot see.
 */
public final class CharDeviceDriver implements ReopenedByPath {

    /** major:minor of the stateless memory devices (mem(4), random(4)). */
    private static final Set<String> STATELESS = Set.of("1:3", "1:5", "1:8", "1:9");

    @Override
    public ResourceKind kind() {
        return ResourceKind.CHAR_DEVICE;
    }

    /** REG entries whose mode says character device (terminals are claimed before, by name). */
    @Override
    public boolean claims(FileEntry file, FileImages images) {
        return Reopen.type(file) == 0020000;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "only /dev/null, /dev/zero, /dev/random, /dev/urandom");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        FdDetail.Device d = (FdDetail.Device) fd.detail();
        if (STATELESS.contains(d.major() + ":" + d.minor())) {
            return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd));
        }
        return Assessment.unsupported(fd.label(), kind(), FdDescriber.describe(fd) + ": not supported yet");
    }

    /** A stateless device is reopened by its /dev path: a REG entry whose mode says character device. */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        FdDetail.Device d = (FdDetail.Device) fd.detail();
        String path = fd.link().startsWith("/") ? fd.link() : d.name();
        int mode = FileEntries.mode(ctx.fdPath(fd.fd()));
        ctx.addFd(fd, FdTypes.REG, id -> FileEntries.reg(id, path, FileEntries.fileFlags(fd), fd.position(), mode, -1));
    }
}
