package dev.jcr.app.top.model;

/** The sections of the details screen, in the order they are shown. */
public enum ResourceGroup {
    THREADS("Threads"),
    MEMORY("Memory"),
    FILES("Files"),
    PIPES("Pipes"),
    SOCKETS("Sockets"),
    OTHER_FDS("Other file descriptors"),
    PROCESS("Process");

    public final String title;

    ResourceGroup(String title) {
        this.title = title;
    }
}
