"""The sandbox's seccomp deny-list as a classic BPF program, the format bubblewrap's --seccomp reads.

A deny-list rather than an allow-list: seven language runtimes and their compilers need hundreds of
ordinary syscalls, while the dangerous ones are few. Namespaces and the unprivileged uid are the main
wall; this removes the kernel surface that walls have historically been breached through.
"""

import errno
import platform
import struct

from mockroom.coding.runner.errors import SandboxUnavailable

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_X32_SYSCALL_BIT = 0x40000000

# Denied with EPERM. Numbers per architecture (x86_64, aarch64); None where the syscall does not exist.
_DENIED: dict[str, tuple[int | None, int | None]] = {
    "ptrace": (101, 117),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "mount": (165, 40),
    "umount2": (166, 39),
    "pivot_root": (155, 41),
    "chroot": (161, 51),
    "unshare": (272, 97),
    "setns": (308, 268),
    "keyctl": (250, 219),
    "add_key": (248, 217),
    "request_key": (249, 218),
    "bpf": (321, 280),
    "perf_event_open": (298, 241),
    "userfaultfd": (323, 282),
    "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427),
    "kexec_load": (246, 104),
    "kexec_file_load": (320, 294),
    "init_module": (175, 105),
    "finit_module": (313, 273),
    "delete_module": (176, 106),
    "reboot": (169, 142),
    "swapon": (167, 224),
    "swapoff": (168, 225),
    "acct": (163, 89),
    "syslog": (103, 116),
    "quotactl": (179, 60),
    "quotactl_fd": (443, 443),
    "open_by_handle_at": (304, 265),
    "name_to_handle_at": (303, 264),
    "lookup_dcookie": (212, 18),
    "fanotify_init": (300, 262),
    "iopl": (172, None),
    "ioperm": (173, None),
    "uselib": (134, None),
    "ustat": (136, None),
    "sysfs": (139, None),
    "nfsservctl": (180, 42),
    "settimeofday": (164, 170),
    "clock_settime": (227, 112),
    "adjtimex": (159, 171),
    "clock_adjtime": (305, 266),
    "sethostname": (170, 161),
    "setdomainname": (171, 162),
    "vhangup": (153, 58),
    "fsopen": (430, 430),
    "fsconfig": (431, 431),
    "fsmount": (432, 432),
    "fspick": (433, 433),
    "move_mount": (429, 429),
    "open_tree": (428, 428),
    "mount_setattr": (442, 442),
    "pidfd_getfd": (438, 438),
}
_CLONE = (56, 220)
_CLONE3 = (435, 435)
_SOCKET = (41, 198)

_AF_UNIX = 1
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME
_CLONE_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80

_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000

_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_JSET_K = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K

_NR = 0  # offsets in struct seccomp_data
_ARCH = 4
_ARG0_LOW = 16  # little-endian: the low 32 bits of args[0]


def deny_list_program(*, machine: str | None = None) -> bytes:
    """The BPF program (struct sock_filter[]) for this machine's architecture."""
    arch = machine or platform.machine()
    if arch not in _AUDIT_ARCH:
        raise SandboxUnavailable(f"no seccomp syscall table for the {arch} architecture")
    column = 0 if arch == "x86_64" else 1
    code: list[tuple[int, int, int, int]] = [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ_K, 1, 0, _AUDIT_ARCH[arch]),
        # Another ABI (i386 int 0x80 on x86_64) would see different syscall numbers: never allow it.
        (_RET_K, 0, 0, _RET_KILL_PROCESS),
        (_LD_W_ABS, 0, 0, _NR),
    ]
    if arch == "x86_64":
        # The x32 ABI reaches the same syscalls under numbers with this bit set, past the deny-list.
        code += [(_JGE_K, 0, 1, _X32_SYSCALL_BIT), _errno(errno.ENOSYS)]
    for numbers in _DENIED.values():
        number = numbers[column]
        if number is not None:
            code += [(_JEQ_K, 0, 1, number), _errno(errno.EPERM)]
    # clone3 passes its flags in memory BPF cannot read; ENOSYS makes libc fall back to clone.
    code += [(_JEQ_K, 0, 1, _CLONE3[column]), _errno(errno.ENOSYS)]
    code += [
        (_JEQ_K, 0, 4, _CLONE[column]),
        (_LD_W_ABS, 0, 0, _ARG0_LOW),
        (_JSET_K, 0, 1, _CLONE_NAMESPACE_FLAGS),
        _errno(errno.EPERM),
        (_RET_K, 0, 0, _RET_ALLOW),
        (_JEQ_K, 0, 4, _SOCKET[column]),
        (_LD_W_ABS, 0, 0, _ARG0_LOW),
        (_JEQ_K, 1, 0, _AF_UNIX),
        _errno(errno.EAFNOSUPPORT),
        (_RET_K, 0, 0, _RET_ALLOW),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]
    return b"".join(struct.pack("=HBBI", op, jt, jf, k) for op, jt, jf, k in code)


def _errno(number: int) -> tuple[int, int, int, int]:
    return (_RET_K, 0, 0, _RET_ERRNO | number)
