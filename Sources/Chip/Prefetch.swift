/// A hint to the processor to start loading the cache line at `address` for reading, without
/// waiting for it (x86 `prefetcht0`, AArch64 `prfm pldl1keep`). Unlike a load, it never stalls
/// the pipeline and never faults, so the engine can ask for lines far ahead of use.
///
/// Swift has no prefetch in its standard library; this names LLVM's `llvm.prefetch` intrinsic
/// directly (arguments: address, 0 = read, 3 = keep in every cache level, 1 = data cache). The
/// constants must stay literals here: the intrinsic takes them as immediates.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cache: Int32)

@inline(__always)
func prefetch(_ address: UnsafeRawPointer) {
    llvmPrefetch(address, 0, 3, 1)
}
