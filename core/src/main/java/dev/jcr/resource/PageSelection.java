package dev.jcr.resource;

/** Which pages of a memory area a dump copies into the pages image. */
public enum PageSelection {
    /** None: the kernel provides them ([vvar], [vsyscall]) or they live in a file (shared file mappings). */
    NONE,
    /** Every page that exists, in RAM or in swap (anonymous memory, heap, stack). */
    EXISTING,
    /**
     * Pages of a private file mapping that were written to: they became anonymous copies (pagemap
     * says neither file page nor absent); the others are read from the file again at restore.
     */
    PRIVATE_COPIES
}
