package dev.jcr.restore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The functions a vDSO exports (name → offset and size, sorted by name), read from its ELF image: the dynamic
 * symbol table (SHT_DYNSYM) and its string table, found through the section headers, which every
 * x86_64 vDSO has. Programs call the vDSO through addresses they looked up once (glibc caches
 * {@code __vdso_clock_gettime} and the others at start-up), so a restore on a kernel whose vDSO
 * differs must keep those addresses working: see {@link VdsoProxy}.
 */
record VdsoSymbols(Map<String, Symbol> functions) {

    /** One exported function: its offset from the start of the vDSO and its length in bytes. */
    record Symbol(long offset, long size) {
    }

    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;

    /**
     * Parses ELF (a whole vDSO, as mapped); throws {@link IllegalArgumentException} naming what is
     * wrong when it is not a 64-bit little-endian ELF with a dynamic symbol table.
     */
    static VdsoSymbols parse(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || b.getInt(0) != 0x464c457f || elf[4] != 2 || elf[5] != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian ELF image");
        }
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shnum = b.getShort(0x3c) & 0xffff;
        if (shoff <= 0 || shentsize < 64 || shoff + (long) shnum * shentsize > elf.length) {
            throw new IllegalArgumentException("section headers outside the image");
        }
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != SHT_DYNSYM) {
                continue;
            }
            long symOff = b.getLong(sh + 0x18);
            long symSize = b.getLong(sh + 0x20);
            int link = b.getInt(sh + 0x28);
            long entSize = b.getLong(sh + 0x38);
            if (link <= 0 || link >= shnum || entSize < 24 || symOff < 0 || symOff + symSize > elf.length) {
                throw new IllegalArgumentException("bad dynamic symbol table");
            }
            int str = (int) (shoff + (long) link * shentsize);
            long strOff = b.getLong(str + 0x18);
            long strSize = b.getLong(str + 0x20);
            if (strOff < 0 || strOff + strSize > elf.length) {
                throw new IllegalArgumentException("bad string table");
            }
            Map<String, Symbol> out = new TreeMap<>();
            for (long s = symOff; s + entSize <= symOff + symSize; s += entSize) {
                int name = b.getInt((int) s);
                int type = elf[(int) s + 4] & 0xf;
                long value = b.getLong((int) s + 8);
                long size = b.getLong((int) s + 16);
                if (type != STT_FUNC || value == 0 || name <= 0 || name >= strSize) {
                    continue;
                }
                out.put(string(elf, (int) (strOff + name), (int) (strOff + strSize)), new Symbol(value, size));
            }
            return new VdsoSymbols(Collections.unmodifiableMap(out));
        }
        throw new IllegalArgumentException("no dynamic symbol table");
    }

    private static String string(byte[] elf, int from, int limit) {
        int end = from;
        while (end < limit && elf[end] != 0) {
            end++;
        }
        return new String(elf, from, end - from, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
