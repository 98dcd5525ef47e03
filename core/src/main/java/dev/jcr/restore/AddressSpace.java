package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.ptrace.RemoteSyscalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds one process's address space inside it, from the seed's copy it starts with: every seed
 * mapping but the kernel's vDSO/vvar is unmapped, those are moved to where the dump had them
 * (remote syscalls execute from the vDSO, so it is never unmapped), every dumped VMA is mapped at
 * its address (writable first), the pages are read into it by the target itself with preadv from
 * the pages file, the final protections are applied and PR_SET_MM_MAP sets the mm fields, auxv
 * and exe.
 */
final class AddressSpace {

    private static final int PR_SET_MM = 35;
    private static final int PR_SET_MM_MAP = 14;
    private static final int IOV_MAX = 1024;

    private final Target t;
    private final ProcessPlan p;
    private final FileTable files;
    private final Path procRoot;
    private final Path dir;

    private final Inheritance inherited;

    AddressSpace(Target t, ProcessPlan p, FileTable files, Path procRoot, Path dir, Inheritance inherited) {
        this.t = t;
        this.p = p;
        this.files = files;
        this.procRoot = procRoot;
        this.dir = dir;
        this.inherited = inherited;
    }

    /** One line of /proc/PID/maps that matters here. */
    record Mapping(long start, long end, String name) {
        long length() {
            return end - start;
        }

        boolean kernelOwned() {
            return name.equals("[vdso]") || name.startsWith("[vvar") || name.equals("[vsyscall]");
        }
    }

    List<Mapping> currentMappings() {
        List<Mapping> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(procRoot.resolve(p.pid() + "/maps"))) {
                String[] f = line.trim().split("\\s+", 6);
                String[] range = f[0].split("-");
                out.add(new Mapping(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16),
                        f.length > 5 ? f[5] : ""));
            }
        } catch (IOException e) {
            throw new RestoreException(Kind.IO, "cannot read /proc/" + p.pid() + "/maps: " + e.getMessage());
        }
        return out;
    }

    /**
     * Everything from unmapping what the process was cloned with (the seed's mappings, or its restored
     * parent's but those it keeps: {@link Inheritance}) to PR_SET_MM_MAP; returns pages written.
     */
    long rebuild(RestoreListener listener, long[] progress, long total) {
        List<Mapping> seed = currentMappings();
        unmapSeed(seed);
        moveVdso(seed);
        mapVmas();
        advise();
        for (long[] r : inherited.toDrop()) {
            t.call(String.format("madvise(0x%x, %d, MADV_DONTNEED)", r[0], r[1] - r[0]), SYS_MADVISE, r[0], r[1] - r[0], 4);
        }
        List<ProcessMemory.Run> runs = inherited.toWrite(p.runs());
        openKeptForWriting(runs);
        listener.phase(RestoreListener.Phase.PAGES, p.pid());
        long written = readPages(runs, listener, progress, total);
        listener.phase(RestoreListener.Phase.ADDRESS_SPACE, p.pid());
        protect();
        setMmMap();
        return written;
    }

    /**
     * Unmaps every mapping the process was cloned with but the kernel's and the ones it keeps from its
     * parent, one munmap per stretch between those (munmap of a range with holes in it is fine),
     * instead of one per mapping.
     */
    private void unmapSeed(List<Mapping> seed) {
        List<long[]> stay = new ArrayList<>();
        for (Mapping m : seed) {
            if (m.kernelOwned()) {
                stay.add(new long[] {m.start(), m.end()});
            }
        }
        for (VmaEntry v : inherited.kept()) {
            stay.add(new long[] {v.getStart(), v.getEnd()});
        }
        stay.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        long from = -1;
        long to = -1;
        int next = 0; // first stay range not yet passed
        for (Mapping m : seed) {
            long s = m.start();
            while (Long.compareUnsigned(s, m.end()) < 0) {
                while (next < stay.size() && Long.compareUnsigned(stay.get(next)[1], s) <= 0) {
                    next++;
                }
                long stop = m.end(); // where the piece to unmap ends
                if (next < stay.size() && Long.compareUnsigned(stay.get(next)[0], stop) < 0) {
                    stop = Long.compareUnsigned(stay.get(next)[0], s) > 0 ? stay.get(next)[0] : s;
                }
                if (stop != s) {
                    if (from >= 0 && next < stay.size() && Long.compareUnsigned(stay.get(next)[0], to) >= 0
                            && Long.compareUnsigned(stay.get(next)[0], s) < 0) {
                        t.munmap(from, to - from); // a range to keep lies between: no stretch across it
                        from = -1;
                    }
                    if (from < 0) {
                        from = s;
                    }
                    to = stop;
                    s = stop;
                } else {
                    // s lies in a range to keep: flush and skip past it
                    if (from >= 0) {
                        t.munmap(from, to - from);
                        from = -1;
                    }
                    s = Long.compareUnsigned(stay.get(next)[1], m.end()) < 0 ? stay.get(next)[1] : m.end();
                }
            }
        }
        if (from >= 0) {
            t.munmap(from, to - from);
        }
    }

    private void moveVdso(List<Mapping> seed) {
        Mapping vdso = null;
        List<Mapping> specials = new ArrayList<>();
        for (Mapping m : seed) {
            if (m.name().equals("[vdso]")) {
                vdso = m;
            }
            if (m.name().equals("[vdso]") || m.name().startsWith("[vvar")) {
                specials.add(m);
            }
        }
        VmaEntry dumpedVdso = null;
        long vvarStart = -1;
        long vvarEnd = -1;
        for (VmaEntry v : p.mm().getVmasList()) {
            if (Vmas.is(v, Vmas.VDSO)) {
                dumpedVdso = v;
            } else if (Vmas.is(v, Vmas.VVAR)) {
                vvarStart = vvarStart < 0 ? v.getStart() : Math.min(vvarStart, v.getStart());
                vvarEnd = Math.max(vvarEnd, v.getEnd());
            }
        }
        if (vdso == null || dumpedVdso == null) {
            throw new RestoreException(Kind.INTERNAL, "process " + p.pid() + ": no vDSO to move");
        }
        long delta = dumpedVdso.getStart() - vdso.start();
        long curStart = specials.stream().mapToLong(Mapping::start).min().orElseThrow();
        long curEnd = specials.stream().mapToLong(Mapping::end).max().orElseThrow();
        boolean sameSize = Vmas.length(dumpedVdso) == vdso.length();
        boolean sameVvar = vvarStart < 0 || vvarStart == curStart + delta && vvarEnd == vdso.start() + delta;
        byte[] dumpedCode = VdsoProxy.dumpedCode(p, dir, dumpedVdso);
        if (dumpedCode != null && !(sameSize && sameVvar
                && Arrays.equals(dumpedCode, t.remote().read(vdso.start(), (int) vdso.length())))) {
            proxyVdso(specials, vdso, dumpedVdso, dumpedCode, vvarStart, vvarEnd);
            return;
        }
        if (!sameSize) {
            throw new RestoreException(Kind.UNSUPPORTED, "process " + p.pid() + ": the dumped vDSO is "
                    + Vmas.length(dumpedVdso) + " bytes, this kernel's is " + vdso.length() + " (dumped on another kernel?)");
        }
        if (!sameVvar) {
            throw new RestoreException(Kind.UNSUPPORTED, String.format("process %d: the dumped vvar area 0x%x-0x%x does"
                    + " not match this kernel's layout (vvar %d bytes before a %d-byte vDSO)", p.pid(), vvarStart,
                    vvarEnd, vdso.start() - curStart, vdso.length()));
        }
        if (delta == 0) {
            return;
        }
        long finalStart = curStart + delta;
        long finalEnd = curEnd + delta;
        if (finalStart < curEnd && curStart < finalEnd) {
            // the final place overlaps the current one: go through a free place first
            long via = freeStep(curStart, curEnd, finalStart, finalEnd);
            shift(specials, via - curStart);
            List<Mapping> moved = new ArrayList<>();
            for (Mapping m : specials) {
                moved.add(new Mapping(m.start() + via - curStart, m.end() + via - curStart, m.name()));
            }
            shift(moved, finalStart - via);
        } else {
            shift(specials, delta);
        }
    }

    /**
     * The dumped vDSO differs from this kernel's: this kernel's vvar and vDSO go to a place no dumped
     * mapping uses (they stay where they are if that is free), the dumped code goes back to its address
     * with its entries redirected there ({@link VdsoProxy}), and the dumped vvar area becomes zeroes.
     */
    private void proxyVdso(List<Mapping> specials, Mapping vdso, VmaEntry dumpedVdso, byte[] dumpedCode,
            long vvarStart, long vvarEnd) {
        long curStart = specials.stream().mapToLong(Mapping::start).min().orElseThrow();
        long curEnd = specials.stream().mapToLong(Mapping::end).max().orElseThrow();
        long to = curStart;
        if (overlapsDumped(curStart, curEnd)) {
            to = -1;
            for (long cand = 0x100000000000L; cand < 0x700000000000L && to < 0; cand += 0x10000000000L) {
                if (!overlapsDumped(cand, cand + curEnd - curStart) && !(cand < curEnd && curStart < cand + curEnd - curStart)) {
                    to = cand;
                }
            }
            if (to < 0) {
                throw new IllegalStateException("no free place for the vDSO");
            }
            shift(specials, to - curStart);
        }
        long newBase = vdso.start() + to - curStart;
        VdsoSymbols now = VdsoSymbols.parse(t.remote().read(newBase, (int) vdso.length()));
        byte[] code = VdsoProxy.patch(p.pid(), dumpedCode, now, newBase);
        if (vvarStart >= 0) {
            t.mmap(vvarStart, vvarEnd - vvarStart, 1 /* PROT_READ */, Vmas.MAP_PRIVATE | Vmas.MAP_ANONYMOUS
                    | Vmas.MAP_FIXED, -1, 0);
        }
        t.mmap(dumpedVdso.getStart(), code.length, 1 | Vmas.PROT_WRITE, Vmas.MAP_PRIVATE | Vmas.MAP_ANONYMOUS
                | Vmas.MAP_FIXED, -1, 0);
        t.remote().write(dumpedVdso.getStart(), code);
        t.mprotect(dumpedVdso.getStart(), code.length, dumpedVdso.getProt());
    }

    private boolean overlapsDumped(long start, long end) {
        for (VmaEntry v : p.mm().getVmasList()) {
            if (Long.compareUnsigned(v.getStart(), end) < 0 && Long.compareUnsigned(start, v.getEnd()) < 0) {
                return true;
            }
        }
        return false;
    }

    private static long freeStep(long curStart, long curEnd, long finalStart, long finalEnd) {
        long len = curEnd - curStart;
        for (long cand = 0x100000000000L; cand < 0x700000000000L; cand += 0x10000000000L) {
            if (!(cand < curEnd && curStart < cand + len) && !(cand < finalEnd && finalStart < cand + len)) {
                return cand;
            }
        }
        throw new IllegalStateException("no free place for the vDSO");
    }

    private void shift(List<Mapping> specials, long delta) {
        // vvar pages first, the vDSO (where the syscall instruction is) last
        for (Mapping m : specials) {
            if (!m.name().equals("[vdso]")) {
                t.mremap(m.start(), m.length(), m.start() + delta);
            }
        }
        for (Mapping m : specials) {
            if (m.name().equals("[vdso]")) {
                t.mremap(m.start(), m.length(), m.start() + delta);
                t.remote().vdsoMoved(delta);
            }
        }
    }

    private void mapVmas() {
        Map<Long, Integer> fileFds = new HashMap<>();
        Map<Long, Integer> shmemFds = new HashMap<>();
        for (VmaEntry v : p.mm().getVmasList()) {
            if (Vmas.special(v) || inherited.keeps(v)) {
                continue; // the kernel's, or kept from the parent as it is
            }
            int flags = (v.getFlags() & (Vmas.MAP_SHARED | Vmas.MAP_PRIVATE | Vmas.MAP_ANONYMOUS | Vmas.MAP_GROWSDOWN
                    | 0x4000 /* NORESERVE */)) | Vmas.MAP_FIXED;
            boolean shared = (v.getFlags() & Vmas.MAP_SHARED) != 0;
            int prot = shared ? v.getProt() : v.getProt() | 1 | Vmas.PROT_WRITE;
            if (Vmas.fileBacked(v)) {
                // a shared mapping is made from a file opened as the dumped one was (fdflags): read-only
                // when it was, so that a later mprotect(PROT_WRITE) fails with EACCES again; read-write
                // when it was, even if the mapping is read-only now (a later mprotect may make it writable)
                boolean writable = shared && (v.hasFdflags() ? (v.getFdflags() & 3) == 2 : (v.getProt() & Vmas.PROT_WRITE) != 0);
                Integer fd = fileFds.get(v.getShmid() * 2 + (writable ? 1 : 0));
                if (fd == null) {
                    int jfd = files.mappingFd((int) v.getShmid(), writable);
                    fd = t.take(jfd, "file of " + Vmas.describe(v));
                    fileFds.put(v.getShmid() * 2 + (writable ? 1 : 0), fd);
                }
                t.mmap(v.getStart(), Vmas.length(v), prot, flags & ~Vmas.MAP_ANONYMOUS, fd, v.getPgoff());
            } else if (Vmas.is(v, Vmas.ANON_SHARED)) {
                // one object for every process that maps it, already holding its pages
                Integer fd = shmemFds.get(v.getShmid());
                if (fd == null) {
                    fd = t.take(files.shmemFd(v.getShmid()), "shared memory of " + Vmas.describe(v));
                    shmemFds.put(v.getShmid(), fd);
                }
                t.mmap(v.getStart(), Vmas.length(v), v.getProt(), (flags & ~Vmas.MAP_ANONYMOUS) | Vmas.MAP_SHARED, fd,
                        v.getPgoff());
            } else {
                t.mmap(v.getStart(), Vmas.length(v), prot, flags | Vmas.MAP_ANONYMOUS, -1, 0);
            }
        }
        for (int fd : fileFds.values()) {
            t.close(fd);
        }
        for (int fd : shmemFds.values()) {
            t.close(fd);
        }
    }

    /**
     * The madvise advice each VMA had (vma madv, CRIU's mask of MADV_* bits: DONTFORK, DONTDUMP,
     * WIPEONFORK, HUGEPAGE …), given again before the pages are read (huge-page advice decides how
     * they are allocated).
     */
    private void advise() {
        for (VmaEntry v : p.mm().getVmasList()) {
            long madv = v.getMadv();
            if (madv == 0 || Vmas.special(v)) {
                continue;
            }
            for (int advice = 0; advice < 64; advice++) {
                if ((madv & (1L << advice)) != 0) {
                    t.call(String.format("madvise(0x%x, %d, %d)", v.getStart(), Vmas.length(v), advice), SYS_MADVISE,
                            v.getStart(), Vmas.length(v), advice);
                }
            }
        }
    }

    /** The target reads its own pages: preadv from the pages file straight into the new mappings. */
    private long readPages(List<ProcessMemory.Run> runs, RestoreListener listener, long[] progress, long total) {
        if (p.pages() == 0 || runs.isEmpty()) {
            return 0;
        }
        int jfd = files.pagesFd(p.pagesId());
        int fd = t.take(jfd, "pages-" + p.pagesId() + ".img");
        long iov = t.remote().scratch(IOV_MAX * 16);
        ByteBuffer b = Target.le(IOV_MAX * 16);
        long written = 0;
        List<ProcessMemory.Run> batch = new ArrayList<>();
        long nextOff = -1;
        for (ProcessMemory.Run run : runs) {
            if (!run.present() || inSpecial(run)) {
                continue;
            }
            if (batch.size() == IOV_MAX || (!batch.isEmpty() && run.pagesOffset() != nextOff)) {
                written += preadv(fd, iov, b, batch);
                progress(listener, progress, total, written);
                batch.clear();
            }
            batch.add(run);
            nextOff = run.pagesOffset() + run.nrPages() * ProcessMemory.PAGE_SIZE;
        }
        if (!batch.isEmpty()) {
            written += preadv(fd, iov, b, batch);
            progress(listener, progress, total, written);
        }
        t.close(fd);
        return written;
    }

    private static void progress(RestoreListener l, long[] progress, long total, long written) {
        l.pages(progress[0] + written, total);
    }

    private long preadv(int fd, long iov, ByteBuffer b, List<ProcessMemory.Run> batch) {
        populate(batch);
        b.clear();
        long bytes = 0;
        for (ProcessMemory.Run r : batch) {
            b.putLong(r.vaddr()).putLong(r.nrPages() * ProcessMemory.PAGE_SIZE);
            bytes += r.nrPages() * ProcessMemory.PAGE_SIZE;
        }
        byte[] arr = new byte[batch.size() * 16];
        System.arraycopy(b.array(), 0, arr, 0, arr.length);
        t.remote().write(iov, arr);
        long off = batch.get(0).pagesOffset();
        long got = t.call(String.format("preadv of %d bytes at 0x%x from pages-%d.img", bytes, batch.get(0).vaddr(),
                p.pagesId()), SYS_PREADV, fd, iov, batch.size(), off, 0);
        if (got != bytes) {
            throw new RestoreException(Kind.BAD_IMAGE, String.format("pages-%d.img: short read of %d/%d bytes at offset %d",
                    p.pagesId(), got, bytes, off));
        }
        return bytes / ProcessMemory.PAGE_SIZE;
    }

    private static final int SYS_PREADV = Target.SYS_PREADV;
    private static final int SYS_MADVISE = 28;
    private static final int MADV_POPULATE_WRITE = 23;
    /** Runs at least this long are populated before the read (below it the extra call costs more). */
    static final long POPULATE_MIN_PAGES = 512;

    /**
     * Allocates the pages of the batch's long runs in one go (madvise MADV_POPULATE_WRITE) before
     * preadv fills them: the kernel then takes no page fault per page inside the copy, about a
     * quarter less time for large memory. Only pages the read overwrites anyway are allocated. A
     * kernel without it (before 5.14) says EINVAL and the read faults them in as before.
     */
    private void populate(List<ProcessMemory.Run> batch) {
        if (!populateWorks) {
            return;
        }
        for (ProcessMemory.Run r : batch) {
            if (r.nrPages() >= POPULATE_MIN_PAGES) {
                long rc = t.remote().syscall(SYS_MADVISE, r.vaddr(), r.nrPages() * ProcessMemory.PAGE_SIZE,
                        MADV_POPULATE_WRITE);
                if (rc < 0 && rc >= -4095) {
                    populateWorks = false; // not this kernel, or no memory yet: preadv faults the pages in
                    return;
                }
            }
        }
    }

    private boolean populateWorks = true;

    private boolean inSpecial(ProcessMemory.Run run) {
        for (VmaEntry v : p.mm().getVmasList()) {
            if (Vmas.special(v) && Long.compareUnsigned(run.vaddr(), v.getStart()) >= 0
                    && Long.compareUnsigned(run.vaddr(), v.getEnd()) < 0) {
                return true;
            }
        }
        return false;
    }

    private void protect() {
        for (VmaEntry v : p.mm().getVmasList()) {
            if (Vmas.special(v) || (v.getFlags() & Vmas.MAP_SHARED) != 0) {
                continue;
            }
            if (v.getProt() != (v.getProt() | 1 | Vmas.PROT_WRITE)) {
                t.mprotect(v.getStart(), Vmas.length(v), v.getProt());
            }
        }
    }

    /**
     * A kept mapping already has its final protection; one that is not readable and writable gets
     * that while the child's own pages are read into it ({@link #protect} puts the final one back).
     */
    private void openKeptForWriting(List<ProcessMemory.Run> runs) {
        for (VmaEntry v : inherited.kept()) {
            if (v.getProt() == (v.getProt() | 1 | Vmas.PROT_WRITE)) {
                continue;
            }
            for (ProcessMemory.Run r : runs) {
                if (Long.compareUnsigned(r.vaddr(), v.getEnd()) < 0 && Long.compareUnsigned(v.getStart(), r.end()) < 0) {
                    t.mprotect(v.getStart(), Vmas.length(v), v.getProt() | 1 | Vmas.PROT_WRITE);
                    break;
                }
            }
        }
    }

    private void setMmMap() {
        MmEntry mm = p.mm();
        int jcrExe = files.mappingFd(mm.getExeFileId(), false);
        // a child that runs its parent's executable keeps the exe it was cloned with (-1: no change): the
        // kernel refuses a new exe while the old one's file is mapped, which the kept mappings may do; so
        // does a process whose executable is the seed's own (a restored sleep): both are the same file
        int exe = inherited.sameExe() || sameFile(procRoot.resolve(p.pid() + "/exe"), Path.of("/proc/self/fd/" + jcrExe))
                ? -1 : t.take(jcrExe, "executable");
        int auxvLen = mm.getMmSavedAuxvCount() * 8;
        ByteBuffer b = Target.le(104 + auxvLen);
        b.putLong(mm.getMmStartCode()).putLong(mm.getMmEndCode()).putLong(mm.getMmStartData())
                .putLong(mm.getMmEndData()).putLong(mm.getMmStartBrk()).putLong(mm.getMmBrk())
                .putLong(mm.getMmStartStack()).putLong(mm.getMmArgStart()).putLong(mm.getMmArgEnd())
                .putLong(mm.getMmEnvStart()).putLong(mm.getMmEnvEnd());
        long addr = t.remote().scratch(RemoteSyscalls.PAGE * 2);
        b.putLong(auxvLen == 0 ? 0 : addr + 104).putInt(auxvLen).putInt(exe);
        for (long a : mm.getMmSavedAuxvList()) {
            b.putLong(a);
        }
        t.remote().write(addr, b.array());
        t.call("prctl(PR_SET_MM_MAP)", RemoteSyscalls.SYS_PRCTL, PR_SET_MM, PR_SET_MM_MAP, addr, 104, 0);
        if (exe >= 0) {
            t.close(exe);
        }
    }

    /** True when A and B (links followed) are one file: same inode on the same device. */
    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.readAttributes(a, "unix:ino,dev").equals(Files.readAttributes(b, "unix:ino,dev"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
