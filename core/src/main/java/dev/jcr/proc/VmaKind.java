package dev.jcr.proc;

/** What backs a memory mapping, decided from the path column of /proc/PID/maps. */
public enum VmaKind {
    /** Private anonymous memory, including named "[anon:NAME]" mappings. */
    ANONYMOUS,
    /** MAP_SHARED|MAP_ANONYMOUS memory; the kernel shows it as "/dev/zero (deleted)" or "[anon_shmem:NAME]". */
    ANONYMOUS_SHARED,
    HEAP,
    STACK,
    VDSO,
    VVAR,
    VSYSCALL,
    /** A mapping of a file that still has a name. */
    FILE,
    /** A mapping of a file that was unlinked after it was mapped. */
    DELETED_FILE,
    /** A mapping of a memfd ("/memfd:NAME (deleted)"). */
    MEMFD,
    /** A System V shared memory segment ("/SYSV0000abcd (deleted)"). */
    SYSV_SHM,
    /** Another bracketed kernel mapping ([uprobes], …). */
    OTHER_SPECIAL
}
