package dev.jcr.resource;

/**
 * Everything jcr knows about one kind of resource. Today a driver answers whether a resource of its
 * kind can be checkpointed ({@link #assess}); the dump and restore engines add, to the same driver,
 * the code that writes the resource to images and recreates it, so that "supported" and "handled"
 * cannot drift apart.
 *
 * @param <R> the snapshot record this driver reads (see {@link ResourceKind#resourceType()})
 */
public interface ResourceDriver<R> {

    /** The kind this driver is registered under. */
    ResourceKind kind();

    /** The best this driver can do for its kind, and on what condition: one row of the support table. */
    Support support();

    /** Can RESOURCE be checkpointed? Never throws for a well-formed snapshot. */
    Assessment assess(R resource);

    /**
     * Writes RESOURCE of the frozen process into the images through CTX. Called only for resources
     * {@link #assess} calls supported (or needing an option the user gave); a driver that finds its
     * resource changed meanwhile throws {@link NotDumpableException}, and the dump is abandoned with
     * the target left running.
     */
    default void dump(R resource, DumpContext ctx) {
        throw new NotDumpableException(ctx.pid(), kind().words(), "jcr cannot dump " + kind().words() + "s yet");
    }
}
