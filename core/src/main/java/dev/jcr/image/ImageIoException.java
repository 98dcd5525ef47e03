package dev.jcr.image;

import dev.jcr.JcrException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Reading or writing an image file or directory failed for a reason outside the image's content. */
public final class ImageIoException extends JcrException {

    /** Kernel file systems that hold no files of their own: a path there is a mistake, and the message says so. */
    private static final Set<String> KERNEL_FILE_SYSTEMS = Set.of("proc", "sysfs", "cgroup", "cgroup2", "debugfs",
            "tracefs", "securityfs", "bpf", "configfs", "pstore", "efivarfs", "fusectl", "binfmt_misc");

    public ImageIoException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps an I/O failure on {@code path} with a one-line reason a person understands. */
    public static ImageIoException of(Object path, String action, IOException e) {
        return new ImageIoException("cannot " + action + " " + path + ": " + why(path, e), e);
    }

    /**
     * Why an operation on PATH failed, in words, without the path again (Java's messages repeat it:
     * "/sys/x: Operation not permitted"); when PATH lies on a kernel file system such as /proc or /sys,
     * that is said too, since it is the real cause ("no such file or directory" alone misleads there).
     */
    public static String why(Object path, IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            why = "already exists";
        } else if (e instanceof NotDirectoryException) {
            why = "not a directory";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            why = f.getReason().toLowerCase(Locale.ROOT);
        } else if (e.getMessage() != null) {
            // the kernel's words as the JDK passes them ("Is a directory", "No space left on device")
            why = e.getMessage().matches("[A-Z][a-z]*( [a-z-]+)*") ? e.getMessage().toLowerCase(Locale.ROOT) : e.getMessage();
        } else {
            why = e.getClass().getSimpleName();
        }
        if (path instanceof Path p && !(e instanceof FileAlreadyExistsException)) {
            why += kernelFileSystem(p).map(fs -> "; " + fs + ", which holds no files of its own").orElse("");
        }
        return why;
    }

    /** "/proc is the kernel's proc file system" when P is on one of {@link #KERNEL_FILE_SYSTEMS}. */
    static java.util.Optional<String> kernelFileSystem(Path p) {
        try {
            Path at = p.toAbsolutePath().normalize();
            while (at != null && !Files.exists(at)) {
                at = at.getParent();
            }
            if (at == null) {
                return java.util.Optional.empty();
            }
            FileStore store = Files.getFileStore(at);
            if (!KERNEL_FILE_SYSTEMS.contains(store.type())) {
                return java.util.Optional.empty();
            }
            // the mount point: the highest ancestor on the same file system
            Path mount = at;
            while (mount.getParent() != null && store.equals(Files.getFileStore(mount.getParent()))) {
                mount = mount.getParent();
            }
            return java.util.Optional.of(mount + " is the kernel's " + store.type() + " file system");
        } catch (IOException | SecurityException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public Kind kind() {
        return Kind.IO;
    }
}
