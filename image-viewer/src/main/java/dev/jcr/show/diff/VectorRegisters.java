package dev.jcr.show.diff;

import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.UserX86FpregsEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vector registers of an x86-64 thread (xmm/ymm/zmm 0-31 and the AVX-512 opmask registers k0-7) as
 * whole registers: the diff names their 32- and 64-bit words ({@code xmm3[1]}, {@code ymm3.hi[0]},
 * {@code zmm3.hi[2]}, {@code zmm17[5]}, {@code k2}), and a text counts the registers that changed.
 */
final class VectorRegisters {

    private static final Pattern VECTOR = Pattern.compile("(?:xmm|ymm|zmm)(\\d+)(?:\\.hi)?\\[\\d+]");
    private static final Pattern OPMASK = Pattern.compile("k\\d+");

    private VectorRegisters() {
    }

    /** The register a diff field belongs to ("v3" for xmm3[1], ymm3.hi[0] and zmm3.hi[2]; "k2"), or null. */
    static String of(String field) {
        Matcher m = VECTOR.matcher(field);
        if (m.matches()) {
            return "v" + m.group(1);
        }
        return OPMASK.matcher(field).matches() ? field : null;
    }

    /** How many vector registers the thread's image holds: xmm0-15, zmm16-31 when saved, and k0-7 when saved. */
    static int count(CoreEntry c) {
        if (!c.hasThreadInfo() || !c.getThreadInfo().hasFpregs()) {
            return 0;
        }
        UserX86FpregsEntry f = c.getThreadInfo().getFpregs();
        int n = f.getXmmSpaceCount() / 4;
        if (f.hasXsave()) {
            n += f.getXsave().getHi16ZmmCount() / 8 + f.getXsave().getOpmaskRegCount();
        }
        return n;
    }
}
