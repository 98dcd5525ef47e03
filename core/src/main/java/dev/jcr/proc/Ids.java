package dev.jcr.proc;

/** The four user (or group) ids of a process: real, effective, saved set, file system (status Uid/Gid). */
public record Ids(long real, long effective, long saved, long fs) {
}
