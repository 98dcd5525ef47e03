package dev.jcr.proc;

import java.util.ArrayList;
import java.util.List;

/** Parses /proc/PID/maps: "start-end perms offset major:minor inode   path". */
public final class MapsParser {

    private MapsParser() {
    }

    public static List<Vma> parse(String path, String text) {
        List<Vma> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (!line.isEmpty()) {
                out.add(parseLine(path, lineNo, line));
            }
        }
        return out;
    }

    static Vma parseLine(String path, int lineNo, String line) {
        // five space-separated columns, then (after padding) a path that may itself contain spaces
        int[] cut = new int[5];
        int p = 0;
        for (int i = 0; i < 5; i++) {
            int sp = line.indexOf(' ', p);
            if (sp < 0) {
                if (i == 4) {
                    sp = line.length();
                } else {
                    throw new ProcParseException(path, lineNo, "expected 6 columns in '" + line + "'");
                }
            }
            cut[i] = sp;
            p = sp + 1;
        }
        String range = line.substring(0, cut[0]);
        String perms = line.substring(cut[0] + 1, cut[1]);
        String offset = line.substring(cut[1] + 1, cut[2]);
        String dev = line.substring(cut[2] + 1, cut[3]);
        String inode = line.substring(cut[3] + 1, cut[4]);
        String rawPath = cut[4] < line.length() ? line.substring(cut[4]).stripLeading() : "";
        int dash = range.indexOf('-');
        int colon = dev.indexOf(':');
        if (dash < 0 || colon < 0 || perms.length() != 4) {
            throw new ProcParseException(path, lineNo, "bad range, perms or device in '" + line + "'");
        }
        try {
            long start = Long.parseUnsignedLong(range.substring(0, dash), 16);
            long end = Long.parseUnsignedLong(range.substring(dash + 1), 16);
            PathLink link = PathLink.parse(rawPath);
            return new Vma(start, end, perms, Long.parseUnsignedLong(offset, 16),
                    Integer.parseInt(dev.substring(0, colon), 16), Integer.parseInt(dev.substring(colon + 1), 16),
                    Long.parseLong(inode), link.path(), link.deleted(), kindOf(link, perms.charAt(3) == 's'));
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, lineNo, "not a number in '" + line + "': " + e.getMessage());
        }
    }

    static VmaKind kindOf(PathLink link, boolean shared) {
        String p = link.path();
        if (p.isEmpty()) {
            return anonymous(shared);
        }
        if (p.startsWith("[")) {
            return switch (p) {
                case "[heap]" -> VmaKind.HEAP;
                case "[stack]" -> VmaKind.STACK;
                case "[vdso]" -> VmaKind.VDSO;
                case "[vvar]", "[vvar_vclock]" -> VmaKind.VVAR;
                case "[vsyscall]" -> VmaKind.VSYSCALL;
                default -> p.startsWith("[anon:") ? VmaKind.ANONYMOUS
                        : p.startsWith("[anon_shmem:") ? VmaKind.ANONYMOUS_SHARED
                        : p.startsWith("[stack:") ? VmaKind.STACK : VmaKind.OTHER_SPECIAL;
            };
        }
        if (link.deleted()) {
            // the kernel backs shared anonymous memory with an unlinked shmem file named /dev/zero
            if (p.equals("/dev/zero") && shared) {
                return VmaKind.ANONYMOUS_SHARED;
            }
            if (p.startsWith("/memfd:")) {
                return VmaKind.MEMFD;
            }
            if (p.startsWith("/SYSV")) {
                return VmaKind.SYSV_SHM;
            }
            return VmaKind.DELETED_FILE;
        }
        return VmaKind.FILE;
    }

    private static VmaKind anonymous(boolean shared) {
        return shared ? VmaKind.ANONYMOUS_SHARED : VmaKind.ANONYMOUS;
    }
}
