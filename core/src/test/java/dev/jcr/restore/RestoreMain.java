package dev.jcr.restore;

import java.nio.file.Path;

/** Restores the images in DIR detached, in a JVM of its own (for tests that need the restorer in another state). */
public final class RestoreMain {

    private RestoreMain() {
    }

    public static void main(String[] args) {
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(Path.of(args[0])).detached());
        System.out.println("restored " + r.rootPid());
    }
}
