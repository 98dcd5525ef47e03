package dev.jcr.resource.file;

import dev.jcr.Quote;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.GhostFileEntry;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.GhostChunkEntry;
import dev.jcr.image.proto.RegFileEntry;
import dev.jcr.image.proto.RemapFilePathEntry;
import dev.jcr.image.proto.RemapType;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.Options;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.RestoreContext;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Linux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import dev.jcr.image.proto.Timeval;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Regular files unlinked while open. The dump copies their content into the images (a "ghost
 * file", as CRIU calls it); restore recreates a file with that content beside the old name, opens it
 * as it was and unlinks it ({@link GhostFiles}). The copy costs image space, so it is limited; bigger
 * files are refused with their size.
 */
public final class DeletedFileDriver implements FileDriver {

    /** Old CRIU images flag a ghost in remap_id itself instead of remap_type. */
    private static final int REMAP_GHOST = 0x80000000;
    /** Most data a restore reads from one ghost image into memory (dumps keep far less: the ghost limit). */
    private static final long MAX_GHOST_BYTES = 1L << 30;

    private final long limitBytes;

    public DeletedFileDriver(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.DELETED_FILE;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.REG;
    }

    /** The REG entries that remap-fpath.img joins to a ghost file. */
    @Override
    public boolean claims(FileEntry file, FileImages images) {
        return ghosts(images).containsKey(file.getId());
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "content saved (holes kept) and recreated unlinked with its owner, mode"
                + " and times, up to the ghost-file limit (" + FdDescriber.size(limitBytes) + ", " + Options.GHOST_LIMIT + ")");
    }

    /** Over the limit: the dump needs a larger --ghost-limit (CRIU's option, also 1 MiB by default). */
    @Override
    public Assessment assess(OpenFd fd) {
        FdDetail.File f = (FdDetail.File) fd.detail();
        if (f.size() > limitBytes) {
            return Assessment.needsOption(fd.label(), kind(), FdDescriber.describe(fd) + ": larger than the ghost-file"
                    + " limit of " + FdDescriber.size(limitBytes) + ": dump with " + Options.GHOST_LIMIT + " "
                    + ((f.size() + (1 << 20) - 1) >> 20) + "M or more", Options.GHOST_LIMIT);
        }
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd) + ", " + fd.accessMode()
                + " at offset " + fd.position());
    }

    /**
     * A REG entry under the file's last name plus a ghost file holding its content (read through the
     * target's fd link, which still reaches the unlinked inode) and a remap-fpath entry joining them.
     */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        String path = ((FdDetail.File) fd.detail()).path().path();
        long[] ms = FileEntries.modeAndSize(ctx.fdPath(fd.fd()));
        if (ms == null) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "deleted file " + path + " vanished");
        }
        if (ms[1] > limitBytes) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "deleted file " + path + " grew to "
                    + FdDescriber.size(ms[1]) + ", over the ghost-file limit");
        }
        ctx.addFd(fd, FdTypes.REG, id -> {
            GhostFileEntry.Builder g = GhostFileEntry.newBuilder().setMode((int) ms[0]).setIno(fd.inode())
                    .setSize(ms[1]).setChunks(true);
            ownerAndTimes(ctx.fdPath(fd.fd()), g);
            ctx.addGhostFile(id, g.build(), ctx.fdPath(fd.fd()), ms[1]);
            return FileEntries.reg(id, path, FileEntries.fileFlags(fd), fd.position(), (int) ms[0], ms[1]);
        });
    }

    /**
     * uid, gid, access and modification time of what P leads to (the deleted file through its fd
     * link) into G; 0/0 and no times when unreadable. The restore gives them back to the new file.
     */
    private static void ownerAndTimes(Path p, GhostFileEntry.Builder g) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,lastAccessTime,lastModifiedTime");
            g.setUid(((Number) a.get("uid")).intValue()).setGid(((Number) a.get("gid")).intValue())
                    .setAtim(timeval((FileTime) a.get("lastAccessTime")))
                    .setMtim(timeval((FileTime) a.get("lastModifiedTime")));
        } catch (java.io.IOException | UnsupportedOperationException e) {
            g.setUid(0).setGid(0);
        }
    }

    private static Timeval timeval(FileTime t) {
        long us = t.to(TimeUnit.MICROSECONDS);
        return Timeval.newBuilder().setTvSec(Math.floorDiv(us, 1_000_000L)).setTvUsec(Math.floorMod(us, 1_000_000L)).build();
    }

    /** The file is recreated beside its old name: that directory must still exist. */
    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        Path parent = Reopen.path(file, use, images).getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new RestoreException(Kind.CONFLICT, use + ": deleted file " + Quote.of(file.getReg().getName())
                    + " is recreated in its directory, which no longer exists");
        }
    }

    /**
     * Recreates the inode once (GhostFiles) and opens this description from jcr's fd of it through
     * its magic link (no O_NOFOLLOW there), then seeks.
     */
    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        RegFileEntry reg = file.getReg();
        int anchor = GhostFiles.anchor(reg.getName(), ghosts(ctx).get(file.getId()), ctx);
        int fd = ctx.keep(Linux.open("/proc/self/fd/" + anchor, reg.getFlags() & Reopen.KEPT & ~Reopen.O_NOFOLLOW, 0));
        Reopen.seek(fd, reg);
        return fd;
    }

    /**
     * The content of every deleted file, by files.img id, read once per restore: remap-fpath.img
     * joins a file to its ghost-file-N.img (N in hex, as CRIU names them), which holds st_mode, the
     * inode number and the bytes, either whole after the header or in (offset, length) chunks with
     * holes between them. Any other kind of remap is refused.
     */
    static Map<Integer, Ghost> ghosts(FileImages images) {
        return images.derived(DeletedFileDriver.class, () -> {
            Map<Integer, Ghost> out = new HashMap<>();
            for (ImageEntry re : images.read(ImageKind.REMAP_FPATH, null)) {
                RemapFilePathEntry r = re.as(RemapFilePathEntry.class);
                boolean legacyGhost = (r.getRemapId() & REMAP_GHOST) != 0;
                if (r.getRemapType() != RemapType.GHOST && !legacyGhost) {
                    throw new RestoreException(Kind.UNSUPPORTED, "file " + r.getOrigId() + " is remapped as "
                            + r.getRemapType() + " (only deleted files saved as ghost files can be restored)");
                }
                FileEntry f = images.file(r.getOrigId());
                if (f == null || !f.hasReg()) {
                    throw images.bad(ImageKind.REMAP_FPATH, null, "remaps file " + r.getOrigId()
                            + ", which is no regular file of files.img");
                }
                out.put(r.getOrigId(), ghost(f.getReg(), Integer.toHexString(r.getRemapId() & ~REMAP_GHOST), images));
            }
            return Map.copyOf(out);
        });
    }

    private static Ghost ghost(RegFileEntry reg, String ghostId, FileImages images) {
        List<ImageEntry> es = images.read(ImageKind.GHOST_FILE, ghostId);
        if (es.isEmpty()) {
            throw images.bad(ImageKind.GHOST_FILE, ghostId, "is missing (content of deleted file " + Quote.of(reg.getName()) + ")");
        }
        GhostFileEntry g = es.get(0).as(GhostFileEntry.class);
        long size = g.hasSize() ? g.getSize() : reg.getSize();
        if (size < 0) {
            throw images.bad(ImageKind.GHOST_FILE, ghostId, "size " + size + " of deleted file " + Quote.of(reg.getName()));
        }
        List<Ghost.Chunk> chunks = new ArrayList<>();
        long bytes = 0;
        if (!g.getChunks()) {
            byte[] all = es.get(0).extra() == null ? new byte[0] : es.get(0).extra();
            chunks.add(new Ghost.Chunk(0, all.length > size ? Arrays.copyOf(all, (int) size) : all));
            bytes = all.length;
        }
        for (ImageEntry e : es.subList(1, es.size())) {
            GhostChunkEntry c = e.as(GhostChunkEntry.class);
            byte[] data = e.extra() == null ? new byte[0] : e.extra();
            // len > size - off, not off + len > size: the sum of two image numbers can overflow
            if (c.getOff() < 0 || c.getLen() < 0 || c.getOff() > size || c.getLen() > size - c.getOff()
                    || data.length != c.getLen()) {
                throw new BadImageException(images.imageFile(ImageKind.GHOST_FILE, ghostId).toString(), e.offset(),
                        "chunk " + e.index() + " (" + c.getLen() + " bytes at " + c.getOff() + ") lies outside the "
                        + size + "-byte file or holds " + data.length + " bytes");
            }
            chunks.add(new Ghost.Chunk(c.getOff(), data));
            bytes += data.length;
        }
        if (bytes > MAX_GHOST_BYTES) {
            throw new RestoreException(Kind.UNSUPPORTED, "deleted file " + Quote.of(reg.getName()) + " holds " + bytes
                    + " bytes of data; a restore recreates at most " + MAX_GHOST_BYTES);
        }
        return new Ghost(g.getIno(), g.getMode(), g.getUid(), g.getGid(), size, chunks,
                g.hasAtim() ? nanos(g.getAtim()) : -1, g.hasMtim() ? nanos(g.getMtim()) : -1);
    }

    private static long nanos(Timeval t) {
        return t.getTvSec() * 1_000_000_000L + t.getTvUsec() * 1000L;
    }
}
