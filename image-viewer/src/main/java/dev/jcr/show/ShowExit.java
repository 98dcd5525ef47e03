package dev.jcr.show;

import dev.jcr.JcrException;

/** jcr-show's exit codes: the same numbers as every jcr command (see README, "Exit codes"). */
final class ShowExit {

    static final int OK = 0;
    static final int USAGE = 2;
    static final int INTERNAL = 70;

    private ShowExit() {
    }

    static int of(Throwable t) {
        if (t instanceof JcrException j) {
            return switch (j.kind()) {
                case USAGE -> 2;
                case NO_SUCH_PROCESS -> 3;
                case PERMISSION -> 4;
                case TRACED -> 5;
                case UNSUPPORTED -> 6;
                case BAD_IMAGE -> 7;
                case IO -> 8;
                case CONFLICT -> 9;
                case INTERNAL -> INTERNAL;
            };
        }
        if (t instanceof java.io.UncheckedIOException) {
            return 8;
        }
        return INTERNAL;
    }
}
