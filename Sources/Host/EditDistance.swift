/// The Levenshtein distance between two strings: the fewest single-character
/// insertions, deletions and substitutions that turn `a` into `b`.
///
/// Used to suggest the key a user probably meant ("did you mean ...?"), so it
/// works on Characters as the user sees them, not on UTF-8 bytes.
func editDistance(_ a: String, _ b: String) -> Int {
    let source = Array(a)
    let target = Array(b)
    if source.isEmpty { return target.count }
    if target.isEmpty { return source.count }

    // Two rolling rows of the dynamic-programming table are enough.
    var previous = Array(0...target.count)
    var current = [Int](repeating: 0, count: target.count + 1)
    for sourceIndex in 1...source.count {
        current[0] = sourceIndex
        for targetIndex in 1...target.count {
            let substitutionCost = source[sourceIndex - 1] == target[targetIndex - 1] ? 0 : 1
            current[targetIndex] = min(
                previous[targetIndex] + 1,
                current[targetIndex - 1] + 1,
                previous[targetIndex - 1] + substitutionCost
            )
        }
        swap(&previous, &current)
    }
    return previous[target.count]
}
