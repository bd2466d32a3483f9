/**
 * The sandbox's seccomp filter (bubblewrap's `--seccomp`). Everything is allowed except:
 * - reserving disk without writing it: `fallocate` and the `FS_IOC_RESVSP`/`RESVSP64`/`ZERO_RANGE` ioctls fail with
 *   EOPNOTSUPP, as on file systems without them (`posix_fallocate` then writes the blocks). They reserve gigabytes
 *   in microseconds, faster than any watch on the disk can react; written blocks come at the disk's speed, which the
 *   workspace's disk limit can stop;
 * - `io_uring_setup` (ENOSYS): io_uring would do the same without a system call the filter sees;
 * - the kernel keyrings (`keyctl`, `add_key`, `request_key`: ENOSYS): the sandbox would share the caller's session
 *   keyring;
 * - another ABI (i386 or x32 calls on x86_64): the process is killed, since the numbers above would not hold.
 * Undefined on architectures it does not know.
 */
export function seccompFilter(arch: string = process.arch): Buffer | undefined {
  const abi = ABIS[arch];
  if (!abi) return undefined;
  return assemble([
    ["ld", ARCH_OFFSET],
    ["jeq", abi.audit, "next", "kill"],
    ["ld", NR_OFFSET],
    ["jge", X32_BIT, "kill", "next"],
    ["jeq", abi.fallocate, "eopnotsupp", "next"],
    ["jeq", abi.ioUringSetup, "enosys", "next"],
    ["jeq", abi.keyctl, "enosys", "next"],
    ["jeq", abi.addKey, "enosys", "next"],
    ["jeq", abi.requestKey, "enosys", "next"],
    ["jeq", abi.ioctl, "next", "allow"],
    ["ld", ARG1_LOW_OFFSET],
    ...RESERVING_IOCTLS.map((request): Instruction => ["jeq", request, "eopnotsupp", "next"]),
    { label: "allow" },
    ["ret", RET_ALLOW],
    { label: "eopnotsupp" },
    ["ret", RET_ERRNO | EOPNOTSUPP],
    { label: "enosys" },
    ["ret", RET_ERRNO | ENOSYS],
    { label: "kill" },
    ["ret", RET_KILL_PROCESS],
  ]);
}

type Instruction =
  | ["ld", number]
  | ["jeq" | "jge", number, string, string]
  | ["ret", number]
  | { label: string };

/** Classic BPF from a list with labels ("next" is the following instruction), as `struct sock_filter[]`. */
function assemble(source: Instruction[]): Buffer {
  const labels = new Map<string, number>();
  const code: Exclude<Instruction, { label: string }>[] = [];
  for (const item of source) {
    if ("label" in item) labels.set(item.label, code.length);
    else code.push(item);
  }
  const buffer = Buffer.alloc(code.length * 8);
  code.forEach((instruction, index) => {
    const at = index * 8;
    const offset = (label: string) => {
      const target = label === "next" ? index + 1 : labels.get(label);
      if (target === undefined || target <= index) throw new Error(`seccomp: bad jump to ${label}`);
      return target - index - 1;
    };
    const [op] = instruction;
    const opcode = op === "ld" ? LD_W_ABS : op === "jeq" ? JEQ_K : op === "jge" ? JGE_K : RET_K;
    buffer.writeUInt16LE(opcode, at);
    if (op === "jeq" || op === "jge") {
      buffer.writeUInt8(offset(instruction[2]), at + 2);
      buffer.writeUInt8(offset(instruction[3]), at + 3);
    }
    buffer.writeUInt32LE(instruction[1] >>> 0, at + 4);
  });
  return buffer;
}

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
/** Offsets in `struct seccomp_data`: nr, arch, args[1] (its low 32 bits, little-endian). */
const NR_OFFSET = 0;
const ARCH_OFFSET = 4;
const ARG1_LOW_OFFSET = 24;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const RET_KILL_PROCESS = 0x80000000;
const EOPNOTSUPP = 95;
const ENOSYS = 38;
const X32_BIT = 0x40000000;
/** `FS_IOC_RESVSP`, `FS_IOC_RESVSP64`, `FS_IOC_ZERO_RANGE`: `_IOW('X', 40 | 42 | 57, struct space_resv)`. */
const RESERVING_IOCTLS = [0x40305828, 0x4030582a, 0x40305839];

interface Abi {
  audit: number;
  fallocate: number;
  ioUringSetup: number;
  keyctl: number;
  addKey: number;
  requestKey: number;
  ioctl: number;
}

const ABIS: Record<string, Abi> = {
  x64: {
    audit: 0xc000003e,
    fallocate: 285,
    ioUringSetup: 425,
    keyctl: 250,
    addKey: 248,
    requestKey: 249,
    ioctl: 16,
  },
  arm64: {
    audit: 0xc00000b7,
    fallocate: 47,
    ioUringSetup: 425,
    keyctl: 219,
    addKey: 217,
    requestKey: 218,
    ioctl: 29,
  },
};
