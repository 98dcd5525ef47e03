package dev.jcr.app.repl;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that starts every line with a prefix, e.g. {@code backup.jcr:12: }, so that an error a
 * command prints while a script runs names the script and the line. A null prefix writes through.
 */
final class PrefixedWriter extends Writer {

    private final Writer target;
    private volatile String prefix;
    private boolean atLineStart = true;

    PrefixedWriter(Writer target) {
        this.target = target;
    }

    void prefix(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) throws IOException {
        String p = prefix;
        if (p == null) {
            target.write(buf, off, len);
            return;
        }
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (atLineStart) {
                target.write(buf, start, i - start);
                target.write(p);
                start = i;
                atLineStart = false;
            }
            if (buf[i] == '\n') {
                atLineStart = true;
            }
        }
        target.write(buf, start, end - start);
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        target.flush();
    }
}
