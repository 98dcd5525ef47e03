package dev.jcr.resource;

/** Names of the dump options a NEEDS_OPTION verdict can ask for. */
public final class Options {

    /** The process tree is attached to the caller's terminal/session; restore it into the current one. */
    public static final String SHELL_JOB = "--shell-job";

    private Options() {
    }
}
