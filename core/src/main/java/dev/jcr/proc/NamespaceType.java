package dev.jcr.proc;

/** The namespace links under /proc/PID/ns that decide whether a process can be dumped from here. */
public enum NamespaceType {
    PID("pid"), MNT("mnt"), NET("net"), IPC("ipc"), UTS("uts"), USER("user"), CGROUP("cgroup"), TIME("time");

    private final String file;

    NamespaceType(String file) {
        this.file = file;
    }

    /** The file name under /proc/PID/ns. */
    public String file() {
        return file;
    }
}
