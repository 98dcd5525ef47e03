package dev.jcr.show;

import com.google.protobuf.ByteString;
import dev.jcr.image.ImageDirWriter;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.PagesWriter;
import dev.jcr.image.proto.*;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A directory of images written by jcr's own writer, covering the messages a dump of ordinary
 * processes needs and every pretty-printing mark crit knows (hex, flags, dev, dict, ipadd,
 * unix names) plus every extra-blob shape, for oracle tests against crit.
 */
final class JcrWrittenImages {

    private JcrWrittenImages() {
    }

    static FownEntry fown() {
        return FownEntry.newBuilder().setUid(0).setEuid(0).setSignum(0).setPidType(0).setPid(0).build();
    }

    static SkOptsEntry skOpts() {
        return SkOptsEntry.newBuilder().setSoSndbuf(212992).setSoRcvbuf(212992).setSoSndTmoSec(0).setSoSndTmoUsec(0)
                .setSoRcvTmoSec(0).setSoRcvTmoUsec(0).addSoFilter(0x1234567890abcdefL).build();
    }

    static Path write(Path target) {
        Random rnd = new Random(7);
        try (ImageDirWriter w = ImageDirWriter.create(target)) {
            w.writeSingle(ImageKind.INVENTORY, null, InventoryEntry.newBuilder().setImgVersion(ImageKind.IMAGES_V1_1)
                    .setFdinfoPerId(true).setNsPerId(true).setLsmtype(Lsmtype.NO_LSM).setDumpUptime(123456789).build());
            w.writeAll(ImageKind.PSTREE, null, List.of(
                    PstreeEntry.newBuilder().setPid(100).setPpid(0).setPgid(100).setSid(100).addThreads(100).addThreads(101).build(),
                    PstreeEntry.newBuilder().setPid(102).setPpid(100).setPgid(100).setSid(100).addThreads(102).build()));
            w.writeSingle(ImageKind.CORE, 100, CoreEntry.newBuilder().setMtype(CoreEntry.March.X86_64)
                    .setThreadInfo(ThreadInfoX86.newBuilder().setClearTidAddr(0x7f00deadbeefL)
                            .setGpregs(regs(rnd)).setFpregs(fpregs(rnd)))
                    .setTc(TaskCoreEntry.newBuilder().setTaskState(1).setExitCode(0).setPersonality(0).setFlags(0x400040)
                            .setBlkSigset(0x10000L).setComm("jcr-test \u00e9").setOomScoreAdj(-17)
                            .addSigactions(SaEntry.newBuilder().setSigaction(0x401000).setFlags(0x4000000).setRestorer(0x7f0000001000L).setMask(0))
                            .setRlimits(TaskRlimitsEntry.newBuilder().addRlimits(RlimitEntry.newBuilder().setCur(-1L).setMax(-1L))))
                    .setThreadCore(ThreadCoreEntry.newBuilder().setFutexRla(0).setFutexRlaLen(24).setSchedNice(-5)
                            .setCreds(CredsEntry.newBuilder().setUid(0).setGid(0).setEuid(0).setEgid(0).setSuid(0).setSgid(0)
                                    .setFsuid(0).setFsgid(0).addCapEff(0xffffffff).addCapEff(0x1ff).setSecbits(0)))
                    .build());
            w.writeSingle(ImageKind.MM, 100, MmEntry.newBuilder().setMmStartCode(0x400000).setMmEndCode(0x401000)
                    .setMmStartData(0x600000).setMmEndData(0x601000).setMmStartStack(0x7ffc00000000L).setMmStartBrk(0x602000)
                    .setMmBrk(0x623000).setMmArgStart(0x7ffc00001000L).setMmArgEnd(0x7ffc00001010L)
                    .setMmEnvStart(0x7ffc00001010L).setMmEnvEnd(0x7ffc00001100L).setExeFileId(1).addMmSavedAuxv(33)
                    .addVmas(vma(0x400000, 0x401000, 5, 2, 0x41, 3))
                    .addVmas(vma(0x7ffc00000000L, 0x7ffc00021000L, 3, 0x122, 0x203, -1))
                    .addVmas(vma(0xffffffffff600000L, 0xffffffffff601000L, 4, 0x22, 0x5 | (1 << 31) | (1 << 20), -1))
                    .setDumpable(1).build());
            try (PagesWriter pw = w.openPages(100, 1)) {
                byte[] pages = new byte[3 * 4096];
                rnd.nextBytes(pages);
                pw.addPages(0x400000, PagesWriter.PE_PRESENT, ByteBuffer.wrap(pages, 0, 4096));
                pw.addHole(0x600000, 2, PagesWriter.PE_PARENT);
                pw.addPages(0x7ffc00000000L, PagesWriter.PE_PRESENT | PagesWriter.PE_LAZY, ByteBuffer.wrap(pages, 4096, 8192));
            }
            w.writeAll(ImageKind.FDINFO, 2, List.of(
                    FdinfoEntry.newBuilder().setId(1).setFlags(0).setType(FdTypes.REG).setFd(0).build(),
                    FdinfoEntry.newBuilder().setId(2).setFlags(1).setType(FdTypes.PIPE).setFd(3).build(),
                    FdinfoEntry.newBuilder().setId(3).setFlags(0).setType(FdTypes.UNIXSK).setFd(4).build()));
            w.writeAll(ImageKind.FILES, null, List.of(
                    FileEntry.newBuilder().setType(FdTypes.REG).setId(1).setReg(RegFileEntry.newBuilder().setId(1)
                            .setFlags(02 | 02000 | 02000000 | 0x40000000).setPos(42).setFown(fown()).setName("/tmp/a file \"quoted\"")
                            .setMntId(-1).setSize(4096).setMode(0100644)).build(),
                    FileEntry.newBuilder().setType(FdTypes.PIPE).setId(2).setPipe(PipeEntry.newBuilder().setId(2).setPipeId(777)
                            .setFlags(04000).setFown(fown())).build(),
                    FileEntry.newBuilder().setType(FdTypes.UNIXSK).setId(3).setUsk(UnixSkEntry.newBuilder().setId(3).setIno(9999)
                            .setType(1).setState(10).setFlags(0x800).setUflags(0).setBacklog(128).setPeer(0).setFown(fown())
                            .setOpts(skOpts()).setName(ByteString.copyFrom(("\0jcr=sock " + "x".repeat(90) + "\u00ff.")
                                    .getBytes(StandardCharsets.ISO_8859_1)))).build(),
                    FileEntry.newBuilder().setType(FdTypes.INETSK).setId(4).setIsk(InetSkEntry.newBuilder().setId(4).setIno(123)
                            .setFamily(2).setType(1).setProto(6).setState(1).setSrcPort(8080).setDstPort(40000).setFlags(0x800)
                            .setBacklog(0).addSrcAddr(0x0100007f).addDstAddr(0x0a01a8c0).setFown(fown()).setOpts(skOpts())).build(),
                    FileEntry.newBuilder().setType(FdTypes.INETSK).setId(5).setIsk(InetSkEntry.newBuilder().setId(5).setIno(124)
                            .setFamily(10).setType(2).setProto(17).setState(7).setSrcPort(53).setDstPort(0).setFlags(0).setBacklog(0)
                            .addSrcAddr(0x000080fe).addSrcAddr(0).addSrcAddr(0).addSrcAddr(0x01000000)
                            .addDstAddr(0).addDstAddr(0).addDstAddr(0).addDstAddr(0)
                            .setFown(fown()).setOpts(skOpts())).build(),
                    FileEntry.newBuilder().setType(FdTypes.EVENTFD).setId(6).setEfd(EventfdFileEntry.newBuilder().setId(6)
                            .setFlags(02004000).setFown(fown()).setCounter(5)).build(),
                    FileEntry.newBuilder().setType(FdTypes.TIMERFD).setId(7).setTfd(TimerfdEntry.newBuilder().setId(7).setFlags(02004000)
                            .setFown(fown()).setClockid(1).setTicks(3).setSettimeFlags(1).setVsec(1).setVnsec(2).setIsec(3).setInsec(4)).build(),
                    FileEntry.newBuilder().setType(FdTypes.INOTIFY).setId(8).setIfy(InotifyFileEntry.newBuilder().setId(8).setFlags(0x80000)
                            .setFown(fown()).addWd(InotifyWdEntry.newBuilder().setId(8).setIIno(555).setMask(0x100).setIgnoredMask(0)
                                    .setSDev((8 << 20) | 1).setWd(1).setFHandle(FhEntry.newBuilder().setBytes(8).setType(1).addHandle(0x55)))).build(),
                    FileEntry.newBuilder().setType(FdTypes.MEMFD).setId(9).setMemfd(MemfdFileEntry.newBuilder().setId(9)
                            .setFlags(02).setPos(0).setFown(fown()).setInodeId(1)).build()));
            w.writeAll(ImageKind.MEMFD_INODE, null, List.of(MemfdInodeEntry.newBuilder().setName("memfd:jcr").setUid(0).setGid(0)
                    .setSize(8192).setShmid(1).setSeals(1 | 8 | 0x100).setInodeId(1).build()));
            try (ImageWriter pd = w.open(ImageKind.PIPES_DATA, null)) {
                byte[] data = new byte[200];
                rnd.nextBytes(data);
                pd.write(PipeDataEntry.newBuilder().setPipeId(777).setBytes(200).setSize(65536).build(), data);
                pd.write(PipeDataEntry.newBuilder().setPipeId(778).setBytes(0).build(), new byte[0]);
            }
            try (ImageWriter sq = w.open(ImageKind.SK_QUEUES, null)) {
                sq.write(SkPacketEntry.newBuilder().setIdFor(3).setLength(5).build(), "hello".getBytes(StandardCharsets.US_ASCII));
            }
            try (ImageWriter tcp = w.open(ImageKind.TCP_STREAM, 124)) {
                tcp.write(TcpStreamEntry.newBuilder().setInqLen(3).setInqSeq(1).setOutqLen(4).setOutqSeq(2).setOptMask(0x7)
                        .setSndWscale(7).setMssClamp(1460).build(), "abcdefg".getBytes(StandardCharsets.US_ASCII));
            }
            try (ImageWriter g = w.open(ImageKind.GHOST_FILE, 1)) {
                g.write(GhostFileEntry.newBuilder().setUid(0).setGid(0).setMode(0100600).setDev((253 << 20) | 3)
                        .setIno(42).setRdev(0x0801).setSize(11).build(), "ghost bytes".getBytes(StandardCharsets.US_ASCII));
            }
            try (ImageWriter g = w.open(ImageKind.GHOST_FILE, 2)) {
                g.write(GhostFileEntry.newBuilder().setUid(0).setGid(0).setMode(0100600).setChunks(true).setSize(8192).build());
                g.write(GhostChunkEntry.newBuilder().setLen(4).setOff(0).build(), new byte[] {1, 2, 3, 4});
                g.write(GhostChunkEntry.newBuilder().setLen(2).setOff(4096).build(), new byte[] {5, 6});
            }
            IpcDescEntry desc = IpcDescEntry.newBuilder().setKey(0x1234).setUid(0).setGid(0).setCuid(0).setCgid(0).setMode(0600).setId(7).build();
            try (ImageWriter sem = w.open(ImageKind.IPCNS_SEM, 1)) {
                sem.write(IpcSemEntry.newBuilder().setDesc(desc).setNsems(3).build(), new byte[] {1, 0, 2, 0, (byte) 0xff, (byte) 0xff, 0, 0});
            }
            try (ImageWriter shm = w.open(ImageKind.IPCNS_SHM, 1)) {
                shm.write(IpcShmEntry.newBuilder().setDesc(desc).setSize(6).build(), new byte[] {9, 8, 7, 6, 5, 4, 0, 0});
            }
            try (ImageWriter msg = w.open(ImageKind.IPCNS_MSG, 1)) {
                byte[] m1 = IpcMsg.newBuilder().setMtype(1).setMsize(3).build().toByteArray();
                ByteBuffer b = ByteBuffer.allocate(4 + m1.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.putInt(m1.length).put(m1).put(new byte[] {'a', 'b', 'c', 0, 0, 0, 0, 0});
                msg.write(IpcMsgEntry.newBuilder().setDesc(desc).setQbytes(16384).setQnum(1).build(), b.array());
            }
            w.writeSingle(ImageKind.STATS, "dump", StatsEntry.newBuilder().setDump(DumpStatsEntry.newBuilder().setFreezingTime(10)
                    .setFrozenTime(20).setMemdumpTime(30).setMemwriteTime(40).setPagesScanned(1000).setPagesSkippedParent(0)
                    .setPagesWritten(3).setPagesLazy(0)).build());
            return w.commit();
        }
    }

    private static VmaEntry vma(long start, long end, int prot, int flags, int status, long fd) {
        return VmaEntry.newBuilder().setStart(start).setEnd(end).setPgoff(0).setShmid(status == 0x41 ? 1 : 0).setProt(prot)
                .setFlags(flags).setStatus(status).setFd(fd).setMadv(0x10000).build();
    }

    private static UserX86RegsEntry regs(Random rnd) {
        UserX86RegsEntry.Builder b = UserX86RegsEntry.newBuilder();
        for (var fd : UserX86RegsEntry.getDescriptor().getFields()) {
            if (fd.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.LONG) {
                b.setField(fd, rnd.nextLong());
            }
        }
        return b.setMode(UserX86RegsMode.NATIVE).build();
    }

    private static UserX86FpregsEntry fpregs(Random rnd) {
        UserX86FpregsEntry.Builder b = UserX86FpregsEntry.newBuilder().setCwd(0x37f).setSwd(0).setTwd(0).setFop(0)
                .setRip(0).setRdp(0).setMxcsr(0x1f80).setMxcsrMask(0xffff);
        for (int i = 0; i < 32; i++) {
            b.addStSpace(rnd.nextInt());
        }
        for (int i = 0; i < 64; i++) {
            b.addXmmSpace(rnd.nextInt());
        }
        return b.setXsave(UserX86XsaveEntry.newBuilder().setXstateBv(7).addYmmhSpace(1).addYmmhSpace(-1)).build();
    }
}
