package dev.jcr.resource.memory;

import dev.jcr.proc.Vma;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Memory areas. Anonymous memory (private or shared), heap, stack and mappings of files that still
 * have a name are supported: their pages are copied (file mappings: private dirty pages) and the
 * area is mapped again. [vdso], [vvar] and [vsyscall] are provided by the restoring kernel. Mappings
 * of deleted files, memfds and SysV shared memory are not (their backing object has to be recreated).
 */
public final class MemoryMappingDriver implements ResourceDriver<Vma> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.MEMORY_MAPPING;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED,
                "anonymous, heap, stack, file-backed, [vdso]/[vvar]/[vsyscall]; not deleted files, memfd, SysV shm");
    }

    @Override
    public Assessment assess(Vma v) {
        String label = "vma " + v.range();
        String what = describe(v);
        return switch (v.kind()) {
            case ANONYMOUS, ANONYMOUS_SHARED, HEAP, STACK, VDSO, VVAR, VSYSCALL, FILE ->
                    Assessment.supported(label, kind(), what);
            case DELETED_FILE, MEMFD, SYSV_SHM, OTHER_SPECIAL -> Assessment.unsupported(label, kind(),
                    what + ": not supported yet");
        };
    }

    static String describe(Vma v) {
        String size = FdDescriber.size(v.size()) + " " + v.perms();
        return switch (v.kind()) {
            case ANONYMOUS -> "anonymous memory (" + size + ")";
            case ANONYMOUS_SHARED -> "shared anonymous memory (" + size + ")";
            case HEAP, STACK, VDSO, VVAR, VSYSCALL, OTHER_SPECIAL -> v.path() + " (" + size + ")";
            case FILE -> "mapping of " + v.path() + " (" + size + ")";
            case DELETED_FILE -> "mapping of deleted file " + v.path() + " (" + size + ")";
            case MEMFD -> "mapping of memfd " + v.path().substring("/memfd:".length()) + " (" + size + ")";
            case SYSV_SHM -> "System V shared memory " + v.path() + " (" + size + ")";
        };
    }
}
