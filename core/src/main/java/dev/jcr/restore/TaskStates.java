package dev.jcr.restore;

/**
 * CRIU's task states ({@code task_core_entry.task_state}) and what a restore makes of each: a running
 * task is resumed, a stopped one is resumed into its stop (the signal that stopped it is sent before it
 * runs), a dead one (zombie) is recreated and exits at once with its status, to be reaped by its parent.
 */
final class TaskStates {

    static final int ALIVE = 1;
    static final int DEAD = 2;
    static final int STOPPED = 3;
    /** Written for zombies by some CRIU versions instead of DEAD. */
    static final int ZOMBIE = 6;

    private TaskStates() {
    }

    static boolean zombie(int state) {
        return state == DEAD || state == ZOMBIE;
    }

    static boolean restorable(int state) {
        return state == ALIVE || state == STOPPED || zombie(state);
    }
}
