package dev.jcr.resource.file;

/** Paths of kernel-made file systems whose files cannot be reopened by name after a restore. */
final class VirtualFs {

    private VirtualFs() {
    }

    static boolean isVirtual(String path) {
        return path.equals("/proc") || path.startsWith("/proc/") || path.equals("/sys") || path.startsWith("/sys/");
    }
}
