package dev.jcr.proc;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The madvise(2) advice a mapping carries, as /proc/PID/smaps shows it ("VmFlags: rd wr mr mw me dc"),
 * and as CRIU records it in vma_entry.madv: a bit mask of MADV_* numbers (bit 1 << MADV_DONTFORK for
 * "dc" …). Only advice that stays on the mapping and that madvise can give again is listed; mlock and
 * the like are not advice.
 */
public final class VmFlags {

    /** smaps mnemonic → MADV_* number that sets it. */
    public static final Map<String, Integer> ADVICE;

    static {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("rr", 1);  // MADV_RANDOM
        m.put("sr", 2);  // MADV_SEQUENTIAL
        m.put("dc", 10); // MADV_DONTFORK
        m.put("mg", 12); // MADV_MERGEABLE
        m.put("hg", 14); // MADV_HUGEPAGE
        m.put("nh", 15); // MADV_NOHUGEPAGE
        m.put("dd", 16); // MADV_DONTDUMP
        m.put("wf", 18); // MADV_WIPEONFORK
        ADVICE = java.util.Collections.unmodifiableMap(m);
    }

    private VmFlags() {
    }

    /** The madv mask of a VmFlags line's mnemonics (space separated). */
    public static long madv(String flags) {
        long mask = 0;
        for (String f : flags.trim().split("\\s+")) {
            Integer advice = ADVICE.get(f);
            if (advice != null) {
                mask |= 1L << advice;
            }
        }
        return mask;
    }

    /**
     * The madv mask of every mapping of an smaps text, by start address. Mappings without VmFlags
     * (very old kernels) are left out.
     */
    public static Map<Long, Long> parseSmaps(String path, String text) {
        Map<Long, Long> out = new HashMap<>();
        long start = 0;
        boolean inMapping = false; // start itself may be "negative" ([vsyscall] lies at the top)
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.startsWith("VmFlags:")) {
                if (!inMapping) {
                    throw new ProcParseException(path, lineNo, "VmFlags before any mapping");
                }
                out.put(start, madv(line.substring(8)));
                continue;
            }
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && isHex(line, 0, dash)) {
                start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                inMapping = true;
            }
        }
        return out;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
