/// Prefetching: hints that ask the processor to start loading a cache line without waiting for
/// it (x86 `prefetcht0`, AArch64 `prfm pldl1keep`). A prefetch never faults and never changes a
/// result; it waits only when every line fill buffer of the core is already taken.
///
/// Swift's standard library has no prefetch, so this names LLVM's `llvm.prefetch` intrinsic
/// directly (arguments: address, 0 = read, 3 = keep in every cache level, 1 = data cache). The
/// constants must stay literals here: the intrinsic takes them as immediates. The thread
/// sanitizer cannot instrument a call declared this way (LLVM rejects the `invoke` it wraps it
/// in), so sanitizer builds pass `-Xswiftc -DNEUROEMU_NO_PREFETCH`, which makes every prefetch a
/// no-op (README, "Development").
#if NEUROEMU_NO_PREFETCH
@inline(__always)
func prefetch(_ address: UnsafeRawPointer) {}
#else
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cache: Int32)

/// Prefetches the cache line that holds `address`.
@inline(__always)
func prefetch(_ address: UnsafeRawPointer) {
    llvmPrefetch(address, 0, 3, 1)
}
#endif

/// Bytes per cache line: 64 on x86-64 and most AArch64 cores (on 128-byte lines each line is
/// asked for twice, which costs little).
var cacheLineBytes: Int { 64 }

/// Prefetches every cache line that holds a byte of `start ..< start + byteCount`, whatever the
/// start's alignment, computing no address outside the range.
@inline(__always)
func prefetchLines(_ start: UnsafeRawPointer, byteCount: Int) {
    guard byteCount > 0 else { return }
    prefetch(start)
    var offset = cacheLineBytes &- (Int(bitPattern: start) & (cacheLineBytes &- 1))
    while offset < byteCount {
        prefetch(start + offset)
        offset &+= cacheLineBytes
    }
}
