package dev.jcr.resource;

import dev.jcr.proc.OpenFd;

/**
 * A driver of descriptors that are jcr's, not the program's — jcr's write tracker left in a process
 * between incremental dumps: its dump writes nothing (the images never hold such an fd, as the process
 * never had it before jcr came), so a restore has nothing to recreate. It may say SUPPORTED without
 * being a {@link FileDriver}; {@link DriverTable} lets exactly these through.
 */
public interface OmittedFd extends ResourceDriver<OpenFd> {

    /** Writes nothing: the fd is left out of the images. */
    @Override
    default void dump(OpenFd fd, DumpContext ctx) {
    }
}
