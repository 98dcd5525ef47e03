package dev.jcr.proc;

/**
 * The target of a /proc magic link (cwd, root, exe, fd): the path the kernel prints, without its
 * " (deleted)" suffix, and whether that suffix was there.
 */
public record PathLink(String path, boolean deleted) {

    static final String DELETED_SUFFIX = " (deleted)";

    public static PathLink parse(String linkText) {
        if (linkText.endsWith(DELETED_SUFFIX)) {
            return new PathLink(linkText.substring(0, linkText.length() - DELETED_SUFFIX.length()), true);
        }
        return new PathLink(linkText, false);
    }

    @Override
    public String toString() {
        return deleted ? path + DELETED_SUFFIX : path;
    }
}
