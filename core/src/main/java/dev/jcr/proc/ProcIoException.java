package dev.jcr.proc;

import java.io.IOException;

/** Reading /proc failed for a reason other than a vanished process or a denied permission. */
public final class ProcIoException extends ProcException {

    public ProcIoException(String path, IOException cause) {
        super("cannot read " + path + ": " + cause.getMessage(), cause);
    }

    @Override
    public Kind kind() {
        return Kind.IO;
    }
}
