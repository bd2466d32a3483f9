/**
 * A seccomp filter for the sandbox (bubblewrap's `--seccomp`): `fallocate` fails with EOPNOTSUPP (as on file systems
 * without it; `posix_fallocate` then writes the blocks instead), and `io_uring_setup` with ENOSYS (io_uring would do
 * the same without a system call the filter sees). fallocate reserves gigabytes in microseconds, faster than any
 * watch on the disk can react; written blocks come at the disk's speed, which the workspace's disk limit can stop.
 * Everything else is allowed. Undefined on architectures it does not know.
 */
export function seccompFilter(arch: string = process.arch): Buffer | undefined {
  const numbers = SYSCALLS[arch];
  if (!numbers) return undefined;
  // Jumps count instructions skipped: 6 allows, 7 fails with EOPNOTSUPP, 8 with ENOSYS.
  const program: Array<[code: number, jt: number, jf: number, k: number]> = [
    [LD_W_ABS, 0, 0, 4], // 0: arch
    [JEQ_K, 0, 4, numbers.audit], // 1: not ours → 6 (allow)
    [LD_W_ABS, 0, 0, 0], // 2: syscall number
    [JGE_K, 4, 0, X32_BIT], // 3: x32 ABI → 8 (ENOSYS)
    [JEQ_K, 2, 0, numbers.fallocate], // 4: → 7 (EOPNOTSUPP)
    [JEQ_K, 2, 0, numbers.ioUringSetup], // 5: → 8 (ENOSYS)
    [RET_K, 0, 0, RET_ALLOW], // 6
    [RET_K, 0, 0, RET_ERRNO | EOPNOTSUPP], // 7
    [RET_K, 0, 0, RET_ERRNO | ENOSYS], // 8
  ];
  const buffer = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], index) => {
    buffer.writeUInt16LE(code, index * 8);
    buffer.writeUInt8(jt, index * 8 + 2);
    buffer.writeUInt8(jf, index * 8 + 3);
    buffer.writeUInt32LE(k >>> 0, index * 8 + 4);
  });
  return buffer;
}

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const EOPNOTSUPP = 95;
const ENOSYS = 38;
const X32_BIT = 0x40000000;

const SYSCALLS: Record<string, { audit: number; fallocate: number; ioUringSetup: number }> = {
  x64: { audit: 0xc000003e, fallocate: 285, ioUringSetup: 425 },
  arm64: { audit: 0xc00000b7, fallocate: 47, ioUringSetup: 425 },
};
