package dev.jcr.kernel;

import dev.jcr.JcrException;
import dev.jcr.image.PageRanges;
import dev.jcr.ptrace.WriteTracker;
import dev.jcr.sys.Linux;
import dev.jcr.sys.PagemapScan;
import dev.jcr.sys.SyscallException;
import dev.jcr.sys.Userfaultfd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What this kernel (and jcr's privileges on it) support for checkpoint/restore, each found by trying
 * it in jcr's own process — never by version numbers: a distribution kernel may lack a config option
 * (soft-dirty here) or have a feature backported. {@code jcr check --kernel} prints the list.
 */
public final class KernelFeatures {

    /**
     * One answer.
     *
     * @param name   what was tried, for a person
     * @param ok     whether it works here
     * @param detail how it was found, or why not
     * @param use    what jcr does with it (and without it)
     */
    public record Feature(String name, boolean ok, String detail, String use) {
    }

    private static final int PR_SET_MM = 35;
    private static final int PR_SET_MM_MAP_SIZE = 15;
    private static final int PR_TIMER_CREATE_RESTORE_IDS = 77;
    private static final int PR_TIMER_CREATE_RESTORE_IDS_GET = 2;
    private static final int MADV_POPULATE_WRITE = 23;
    private static final long SOFT_DIRTY = 1L << 55;
    private static final int PAGE = 4096;

    private KernelFeatures() {
    }

    /** The kernel's release and machine, e.g. "6.18.44 (x86_64)". */
    public static String kernel() {
        String arch = System.getProperty("os.arch");
        return System.getProperty("os.version") + " (" + (arch.equals("amd64") ? "x86_64" : arch) + ")";
    }

    /** Every probe, in the order a person reads them. */
    public static List<Feature> probe() {
        List<Feature> out = new ArrayList<>();
        out.add(run("write tracking: userfaultfd async write-protect + PAGEMAP_SCAN (Linux 6.7+)",
                KernelFeatures::writeTracking,
                "incremental dumps (pre-dump, --prev-images-dir) copy only the pages written since; without it every page"));
        out.add(run("soft-dirty page bits (CONFIG_MEM_SOFT_DIRTY, CRIU's write tracking)", KernelFeatures::softDirty,
                "not used by jcr (CRIU needs it for incremental dumps)"));
        out.add(run("userfaultfd missing-page faults", KernelFeatures::userfaultfdMissing,
                "lazy restore (pages fetched on first touch); not used yet"));
        out.add(run("clone3 with set_tid and the privilege for it", KernelFeatures::cloneSetTid,
                "restore with the dumped pids; without it restore fails"));
        out.add(run("pidfd_open + pidfd_getfd", KernelFeatures::pidfdGetfd,
                "moving descriptors between jcr and its targets (pages pipe, restored files)"));
        out.add(run("process_vm_readv", KernelFeatures::processVmReadv, "reading a process's memory from outside"));
        out.add(run("prctl(PR_SET_MM_MAP)", KernelFeatures::setMmMap, "restoring the memory layout fields, auxv and exe"));
        out.add(run("POSIX timer ids on create (PR_TIMER_CREATE_RESTORE_IDS, Linux 6.17+)", KernelFeatures::timerIds,
                "timers get their dumped ids directly; without it ids are reached by creating and deleting"));
        out.add(run("madvise(MADV_POPULATE_WRITE) (Linux 5.14+)", KernelFeatures::populateWrite,
                "restore allocates large memory in one call before reading it"));
        out.add(run("time namespaces", () -> Files.exists(Path.of("/proc/self/ns/time")) ? "/proc/self/ns/time exists"
                : fail("no /proc/self/ns/time"), "recorded in timens-0.img"));
        return out;
    }

    private static Feature run(String name, Supplier<String> probe, String use) {
        try {
            return new Feature(name, true, probe.get(), use);
        } catch (Unsupported e) {
            return new Feature(name, false, e.getMessage(), use);
        } catch (JcrException | IllegalStateException e) {
            return new Feature(name, false, e.getMessage(), use);
        }
    }

    /** A probe's "no", with the reason. */
    private static final class Unsupported extends RuntimeException {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    private static String fail(String why) {
        throw new Unsupported(why);
    }

    /** A page of jcr's own, written once; unmapped by the caller. */
    private static long page() {
        long a = Linux.mmap(0, PAGE, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        Linux.poke(a, (byte) 1);
        return a;
    }

    private static String writeTracking() {
        int uffd = Userfaultfd.create(Linux.O_CLOEXEC | Userfaultfd.USER_MODE_ONLY);
        long a = page();
        int pm = Linux.open("/proc/self/pagemap", Linux.O_RDONLY, 0);
        try {
            try {
                Userfaultfd.api(uffd, WriteTracker.FEATURES);
            } catch (SyscallException e) {
                return fail("UFFDIO_API refuses async write-protect (" + e.errnoName() + ")");
            }
            Userfaultfd.register(uffd, a, PAGE, Userfaultfd.REGISTER_MODE_WP);
            PagemapScan.Query protect = new PagemapScan.Query(PagemapScan.WP_MATCHING | PagemapScan.CHECK_WPASYNC,
                    PagemapScan.PAGE_IS_WRITTEN, PagemapScan.PAGE_IS_PRESENT, PagemapScan.PAGE_IS_WRITTEN);
            PagemapScan.scan(pm, a, a + PAGE, protect, r -> { });
            PagemapScan.Query look = new PagemapScan.Query(0, PagemapScan.PAGE_IS_WRITTEN, 0, PagemapScan.PAGE_IS_WRITTEN);
            PageRanges.Builder before = new PageRanges.Builder();
            PagemapScan.scan(pm, a, a + PAGE, look, r -> before.add(r[0], r[1]));
            Linux.poke(a, (byte) 2);
            PageRanges.Builder after = new PageRanges.Builder();
            PagemapScan.scan(pm, a, a + PAGE, look, r -> after.add(r[0], r[1]));
            if (!before.build().isEmpty() || after.build().bytes() != PAGE) {
                return fail("PAGEMAP_SCAN did not report the write as it should");
            }
            return "a write to a protected page was reported by PAGEMAP_SCAN";
        } catch (SyscallException e) {
            return fail(e.getMessage());
        } finally {
            Linux.close(pm);
            Linux.munmap(a, PAGE);
            Linux.close(uffd);
        }
    }

    private static String softDirty() {
        long a = page();
        try {
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "4");
            } catch (IOException e) {
                return fail("cannot clear soft-dirty bits: " + e.getMessage());
            }
            long clean = pagemapEntry(a);
            Linux.poke(a, (byte) 3);
            long dirty = pagemapEntry(a);
            if ((clean & SOFT_DIRTY) != 0 || (dirty & SOFT_DIRTY) == 0) {
                return fail("pagemap bit 55 does not follow writes (the kernel is built without it)");
            }
            return "pagemap bit 55 set by a write after clear_refs";
        } finally {
            Linux.munmap(a, PAGE);
        }
    }

    private static long pagemapEntry(long addr) {
        int fd = Linux.open("/proc/self/pagemap", Linux.O_RDONLY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
            Linux.pread(fd, b, addr / PAGE * 8);
            return b.getLong(0);
        } finally {
            Linux.close(fd);
        }
    }

    private static String userfaultfdMissing() {
        int uffd = Userfaultfd.create(Linux.O_CLOEXEC | Userfaultfd.USER_MODE_ONLY);
        long a = Linux.mmap(0, PAGE, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        try {
            Userfaultfd.api(uffd, 0);
            Userfaultfd.register(uffd, a, PAGE, 1 /* UFFDIO_REGISTER_MODE_MISSING */);
            Userfaultfd.unregister(uffd, a, PAGE);
            return "registered an area for missing-page faults";
        } finally {
            Linux.munmap(a, PAGE);
            Linux.close(uffd);
        }
    }

    private static String cloneSetTid() {
        try {
            Linux.syscall("clone3", 0, 435, 0, 0, 0, 0, 0, 0);
        } catch (SyscallException e) {
            if (e.errno() == 38) {
                return fail("no clone3 (ENOSYS)");
            }
        }
        long eff = capEffective();
        boolean admin = (eff & (1L << 21)) != 0;
        boolean cr = (eff & (1L << 40)) != 0;
        if (!admin && !cr) {
            return fail("clone3 exists, but jcr lacks CAP_CHECKPOINT_RESTORE (or CAP_SYS_ADMIN) for set_tid");
        }
        return "clone3 exists; jcr has " + (cr ? "CAP_CHECKPOINT_RESTORE" : "CAP_SYS_ADMIN");
    }

    private static long capEffective() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: none
        }
        return 0;
    }

    private static String pidfdGetfd() {
        int pidfd = Linux.pidfdOpen(Linux.getpid());
        try {
            Linux.close(Linux.pidfdGetfd(pidfd, 0, Linux.getpid()));
            return "duplicated jcr's own stdin through a pidfd";
        } finally {
            Linux.close(pidfd);
        }
    }

    private static String processVmReadv() {
        long a = page();
        try {
            byte[] got = Linux.readMemory(Linux.getpid(), a, 1);
            return got[0] == 1 ? "read jcr's own page" : fail("read the wrong byte");
        } finally {
            Linux.munmap(a, PAGE);
        }
    }

    private static String setMmMap() {
        ByteBuffer size = ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN);
        Linux.prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, Linux.addressOf(size), 0, 0);
        return "PR_SET_MM_MAP_SIZE answers " + size.getInt(0) + " bytes";
    }

    private static String timerIds() {
        try {
            int on = Linux.prctl(PR_TIMER_CREATE_RESTORE_IDS, PR_TIMER_CREATE_RESTORE_IDS_GET, 0, 0, 0);
            return "prctl answers (currently " + (on == 1 ? "on" : "off") + ")";
        } catch (SyscallException e) {
            return fail("prctl(PR_TIMER_CREATE_RESTORE_IDS) is unknown here (" + e.errnoName() + ")");
        }
    }

    private static String populateWrite() {
        long a = Linux.mmap(0, PAGE, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        try {
            Linux.madvise(a, PAGE, MADV_POPULATE_WRITE);
            return "populated a page";
        } catch (SyscallException e) {
            return fail("madvise refused it (" + e.errnoName() + ")");
        } finally {
            Linux.munmap(a, PAGE);
        }
    }
}
