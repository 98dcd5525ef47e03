package dev.jcr.resource.memfd;

import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.MemfdFileEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import dev.jcr.resource.file.Reopen;
import dev.jcr.sys.Linux;

/**
 * memfds held as fds (as mappings: {@link dev.jcr.resource.memory.MemoryMappingDriver}, through the
 * same {@link MemfdInodes}). Each open description is a MEMFD entry of files.img (flags, position,
 * inode_id); the object itself, with name, size, content and seals, is saved once whatever holds it.
 * Restore opens each description from the one recreated object, with its flags, at its position.
 */
public final class MemfdDriver implements FileDriver {

    @Override
    public ResourceKind kind() {
        return ResourceKind.MEMFD;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.MEMFD;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "name, size, content (holes kept), seals, owner; one object shared by"
                + " every fd and mapping of it; not on hugetlbfs (MFD_HUGETLB)");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd) + ", " + fd.accessMode() + " at offset "
                + fd.position());
    }

    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        String name = MemfdInodes.name(((FdDetail.File) fd.detail()).path().path());
        MemfdInodes.save(ctx, fd.inode(), name, ctx.fdPath(fd.fd()), fd.label());
        ctx.addFd(fd, FdTypes.MEMFD, id -> MemfdInodes.entry(id, FileEntries.fileFlags(fd), fd.position(), fd.inode()));
    }

    /** The entry names an object of memfd.img, with an access mode and a position. */
    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasMemfd()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a MEMFD without its memfd entry");
        }
        MemfdFileEntry m = file.getMemfd();
        if ((m.getFlags() & 3) == 3 || m.getPos() < 0) {
            throw images.bad(ImageKind.FILES, null, "memfd " + file.getId() + " (" + use + ") flags 0" + Integer.toOctalString(
                    m.getFlags()) + " or pos " + Long.toUnsignedString(m.getPos()) + " is impossible");
        }
        if (!MemfdInodes.inodes(images).containsKey(Integer.toUnsignedLong(m.getInodeId()))) {
            throw images.bad(ImageKind.FILES, null, "memfd " + file.getId() + " (" + use + ") memfd.inode_id "
                    + Integer.toUnsignedString(m.getInodeId()) + " names no object of memfd.img");
        }
    }

    /** This description, opened from the recreated object through /proc/self/fd with its flags, then seeked. */
    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        MemfdFileEntry m = file.getMemfd();
        int anchor = MemfdInodes.anchor(MemfdInodes.inodes(ctx).get(Integer.toUnsignedLong(m.getInodeId())), ctx);
        int fd = ctx.keep(Linux.open("/proc/self/fd/" + anchor, m.getFlags() & Reopen.KEPT & ~Reopen.O_NOFOLLOW, 0));
        if (m.getPos() != 0) {
            Linux.lseek(fd, m.getPos());
        }
        return fd;
    }
}
