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

    /** {@code mov $15,%rax; syscall} (glibc's and Go's __restore_rt). */
    private static final byte[] RESTORE_RT_RAX = {0x48, (byte) 0xc7, (byte) 0xc0, 0x0f, 0, 0, 0, 0x0f, 0x05};
    /** {@code mov $15,%eax; syscall} (musl's __restore_rt). */
    private static final byte[] RESTORE_RT_EAX = {(byte) 0xb8, 0x0f, 0, 0, 0, 0x0f, 0x05};
    private static final int CHUNK = 256 * 1024;

    /**
     * Address of an rt_sigreturn trampoline ({@code mov $15,%eax|%rax; syscall}) in TGID's executable
     * memory: the C library's signal-return stub, which every process that can take a signal handler
     * has. It is where a guarded remote session parks the task (see {@link RescueFrame}): code the
     * target already has, so that no byte of the target's code is changed and no mapping must exist
     * before the first remote syscall — the first one is as safe as any other.
     */
    static long findSigreturnTrampoline(ProcFiles proc, int tgid) {
        for (long[] m : proc.executableMappings(tgid)) {
            for (long at = m[0]; at < m[1]; at += CHUNK - 16) {
                int len = (int) Math.min(CHUNK, m[1] - at);
                byte[] code;
                try {
                    code = Linux.readMemory(tgid, at, len);
                } catch (dev.jcr.sys.SyscallException e) {
                    break; // unreadable after all: next mapping
                }
                long off = indexOf(code, RESTORE_RT_RAX);
                if (off < 0) {
                    off = indexOf(code, RESTORE_RT_EAX);
                }
                if (off >= 0) {
                    return at + off;
                }
            }
        }
        throw new TraceException(tgid, "has no rt_sigreturn trampoline (mov $15,%eax; syscall) in its code:"
                + " jcr cannot drive it so that it survives jcr's own death, and does not try");
    }

    static long indexOf(byte[] code, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= code.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (code[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
