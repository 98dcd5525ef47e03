package dev.jcr.app.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a PID argument: a positive whole number no larger than the kernel's pid limit (2^22). Anything
 * else is "'abc' is not a PID", which {@code Main} prints as it is instead of picocli's
 * "Invalid value for positional parameter at index 0..* (PID): 'abc' is not a long".
 */
public final class PidConverter implements ITypeConverter<Long> {

    /** The largest value a pid_t holds (the kernel's own limit, PID_MAX_LIMIT, is lower: it says "no such process"). */
    static final long PID_MAX_LIMIT = Integer.MAX_VALUE;

    /** The message is the whole sentence a person reads (after the command's name). */
    public static final class NotAPid extends TypeConversionException {
        NotAPid(String value) {
            super("'" + value + "' is not a PID (a process id is a whole number from 1 to " + PID_MAX_LIMIT + ")");
        }
    }

    @Override
    public Long convert(String value) {
        String v = value.strip();
        if (!v.matches("\\d{1,10}")) {
            throw new NotAPid(value);
        }
        long pid = Long.parseLong(v);
        if (pid < 1 || pid > PID_MAX_LIMIT) {
            throw new NotAPid(value);
        }
        return pid;
    }
}
