package dev.jcr.ptrace;

import dev.jcr.sys.Linux;

/**
 * Where a remote syscall executes: a {@code syscall} instruction (0f 05) that already exists in the
 * target's vDSO. Jumping there needs no code written into the target, and the vDSO is the one mapping
 * a restore keeps while it tears down the seed's address space, so remote execution keeps working.
 * Execution stops at the syscall-exit stop, so whatever follows those two bytes never runs.
 */
final class SyscallSite {

    private SyscallSite() {
    }

    static long findInVdso(ProcFiles proc, int tgid) {
        long[] vdso = proc.namedMapping(tgid, "[vdso]").orElseThrow(
                () -> new TraceException(tgid, "has no [vdso] mapping to execute remote syscalls from"));
        int len = (int) (vdso[1] - vdso[0]);
        byte[] code = Linux.readMemory(tgid, vdso[0], len);
        long found = find(code);
        if (found < 0) {
            throw new TraceException(tgid, "no syscall instruction in its vDSO");
        }
        return vdso[0] + found;
    }

    /** Offset of the first 0f 05 byte pair in CODE, -1 if none. */
    static long find(byte[] code) {
        for (int i = 0; i + 1 < code.length; i++) {
            if (code[i] == 0x0f && code[i + 1] == 0x05) {
                return i;
            }
        }
        return -1;
    }
}
