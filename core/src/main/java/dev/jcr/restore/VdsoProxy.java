package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.VmaEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Keeps a dumped vDSO working on a kernel whose vDSO differs (a kernel update between dump and
 * restore, or another machine): CRIU's "vDSO proxy". Programs jump into the vDSO through addresses
 * they looked up once (glibc caches {@code __vdso_clock_gettime} …), so this kernel's vDSO, moved to
 * the dumped address, would be entered in the middle of other instructions. Instead the dumped code
 * goes back where it was, and the entry of every function it exports becomes a jump to the same
 * function of this kernel's vDSO, which is mapped elsewhere: {@code movabs $target, %r11; jmp *%r11}
 * (r11 is a scratch register in the x86_64 calling convention, and the syscall instruction clobbers
 * it anyway). The dumped vvar area becomes zero-filled read-only memory: the old code never reads it
 * through its patched entries, and code caught mid-function reads "no clock source" and falls back
 * to the syscall.
 */
final class VdsoProxy {

    /** Bytes of one trampoline: 49 bb imm64 (movabs r11), 41 ff e3 (jmp *r11). */
    static final int TRAMPOLINE = 13;

    private VdsoProxy() {
    }

    /**
     * The dumped vDSO's code, read from the pages of DUMPED in the images of P (DIR), or null when
     * the dump did not save all of them (older jcr dumps; then only an identical kernel restores).
     */
    static byte[] dumpedCode(ProcessPlan p, Path dir, VmaEntry dumped) {
        long len = Vmas.length(dumped);
        if (len <= 0 || len > 1 << 20) {
            return null;
        }
        byte[] code = new byte[(int) len];
        long covered = 0;
        Path pages = dir.resolve("pages-" + p.pagesId() + ".img");
        try (FileChannel ch = FileChannel.open(pages, StandardOpenOption.READ)) {
            for (ProcessMemory.Run r : p.runs()) {
                long from = Math.max(r.vaddr(), dumped.getStart());
                long to = Math.min(r.end(), dumped.getEnd());
                if (from >= to) {
                    continue;
                }
                if (!r.present() || r.inParent()) {
                    return null;
                }
                ByteBuffer dst = ByteBuffer.wrap(code, (int) (from - dumped.getStart()), (int) (to - from)).slice();
                long at = r.pagesOffset() + (from - r.vaddr());
                while (dst.hasRemaining()) {
                    if (ch.read(dst, at + dst.position()) < 0) {
                        throw new RestoreException(Kind.BAD_IMAGE, pages.getFileName() + ": ends inside the pages of"
                                + " the vDSO of process " + p.pid());
                    }
                }
                covered += to - from;
            }
        } catch (IOException e) {
            throw new RestoreException(Kind.IO, "cannot read " + pages + ": " + e.getMessage());
        }
        return covered == len ? code : null;
    }

    /**
     * OLD_CODE with the entry of each function it exports replaced by a jump to the same function of
     * this kernel's vDSO at NEW_BASE (described by NOW). Refused, naming it, when a function the old
     * vDSO exports does not exist in this kernel's or is too short to hold the jump.
     */
    static byte[] patch(int pid, byte[] oldCode, VdsoSymbols now, long newBase) {
        VdsoSymbols old;
        try {
            old = VdsoSymbols.parse(oldCode);
        } catch (IllegalArgumentException e) {
            throw new RestoreException(Kind.BAD_IMAGE, "process " + pid + ": the dumped vDSO is not readable: "
                    + e.getMessage());
        }
        byte[] out = oldCode.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, VdsoSymbols.Symbol> e : old.functions().entrySet()) {
            VdsoSymbols.Symbol target = now.functions().get(e.getKey());
            VdsoSymbols.Symbol at = e.getValue();
            if (target == null) {
                throw new RestoreException(Kind.UNSUPPORTED, "process " + pid + ": its vDSO (from the dumped kernel)"
                        + " exports " + e.getKey() + ", which this kernel's vDSO lacks");
            }
            if (at.size() < TRAMPOLINE || at.offset() + TRAMPOLINE > out.length) {
                throw new RestoreException(Kind.UNSUPPORTED, "process " + pid + ": the dumped vDSO's " + e.getKey()
                        + " is too short (" + at.size() + " bytes) to be redirected to this kernel's");
            }
            int o = (int) at.offset();
            b.put(o, (byte) 0x49).put(o + 1, (byte) 0xbb).putLong(o + 2, newBase + target.offset())
                    .put(o + 10, (byte) 0x41).put(o + 11, (byte) 0xff).put(o + 12, (byte) 0xe3);
        }
        return out;
    }
}
