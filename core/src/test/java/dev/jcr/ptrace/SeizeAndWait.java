package dev.jcr.ptrace;

/**
 * Test helper run in its own JVM (not a test): seizes the tree of pid ARGS[0], prints FROZEN, and
 * waits to be killed. Proves that jcr dying mid-freeze loses nothing.
 */
public final class SeizeAndWait {
    private SeizeAndWait() {
    }

    public static void main(String[] args) throws Exception {
        Tracer tracer = Tracer.start();
        FrozenTree tree = tracer.seizeTree(Integer.parseInt(args[0]));
        if (args.length > 1 && args[1].equals("remote")) {
            // die in the middle of a remote session too (registers restored? no: between calls)
            RemoteSyscalls rs = tracer.remote(tree.root());
            rs.getpid();
        }
        System.out.println("FROZEN " + tree.allThreads().size());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
