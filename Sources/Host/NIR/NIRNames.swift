/// The names a NIR import gives the network, its inputs, populations and projections.
///
/// Each follows the network file's name rule (`NetworkFile.nameProblem`: 1 to 64 ASCII letters,
/// digits, `_`, `-` or `.`, not starting with a digit), so that the converted network runs and
/// `--save-network` writes a file that loads again; each depends on the graph and the file name
/// alone, so it is the same in every run.
enum NIRNames {
    /// A node path or a file name as a name: `sanitized`, then `fitted`.
    static func name(_ text: String) -> String { fitted(sanitized(text)) }

    /// Names appear in space-separated trace lines: characters other than ASCII letters, digits,
    /// `_`, `-` and `.` become `_`.
    static func sanitized(_ name: String) -> String {
        let kept = String(name.unicodeScalars.map { scalar -> Character in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || "_-.".unicodeScalars.contains(scalar) ? Character(scalar) : "_"
        })
        // Network-file names do not start with a digit (snnTorch names its layers `0`, `1`, …):
        // such a name gets a leading `_`, so that `--save-network` writes a file that loads again.
        return kept.first.map { !$0.isNumber } ?? false ? kept : "_" + kept
    }

    /// Characters of the tag that ends a shortened name: `-` and 8 hexadecimal digits.
    static let tagLength = 9

    /// `name` when it has at most `NetworkFile.maximumNameLength` characters; otherwise its first
    /// 55 characters, `-` and the 8 hexadecimal digits of the 32-bit FNV-1a hash of the whole
    /// name (two long names that share their first 55 characters stay apart). `name` is sanitized.
    static func fitted(_ name: String) -> String {
        guard name.count > NetworkFile.maximumNameLength else { return name }
        var hash: UInt32 = 0x811C_9DC5
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return String(name.prefix(NetworkFile.maximumNameLength - tagLength)) + "-" + hexadecimal(hash, digits: 8, uppercase: false)
    }

    /// The network's name: the file's name without its directory and its `.nir` (`nir` when
    /// nothing is left).
    static func network(path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let stem = base.hasSuffix(".nir") ? String(base.dropLast(4)) : base
        return name(stem.isEmpty ? "nir" : stem)
    }

    /// Names of projections, unique among those given so far.
    struct Projections {
        private var used: Set<String> = []

        /// `SOURCE_to_TARGET` (`fitted`), or, when an earlier projection has that name, the first
        /// of `SOURCE_to_TARGET-2`, `-3`, … (each `fitted`) that none has: nodes `a_to` → `b` and
        /// `a` → `to_b` give `a_to_to_b` and `a_to_to_b-2`. `source` and `target` are names.
        mutating func name(from source: String, to target: String) -> String {
            let base = source + "_to_" + target
            var candidate = fitted(base)
            var counter = 1
            while used.contains(candidate) {
                counter += 1
                candidate = fitted(base + "-\(counter)")
            }
            used.insert(candidate)
            return candidate
        }
    }
}
