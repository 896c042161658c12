/// Reads `--input FILE` for a NIR run: `{"inputs": [...]}` with entries in the network file's
/// inputs format (`spike_times` or `poisson`), each named after a NIR Input node.
public enum NIRInputFile {
    /// The input kinds of a network file that a NIR run takes: a graph has no schedule to present
    /// `samples`, and no `teacher` to follow them.
    static let kinds = ["spike_times", "poisson"]

    /// Reads the inputs at `path`; spike times up to `steps` are accepted. An entry of another
    /// kind (`samples`, `teacher`) is refused at its JSON path.
    public static func load(path: String, steps: Int) throws(ConfigError) -> [InputDescription] {
        let root = JSONNode(value: try JSONParser.parse(contentsOfFile: path), file: path)
        let object = try root.object(allowedKeys: ["inputs"])
        var inputs: [InputDescription] = []
        for node in try object.required("inputs").array() {
            // Checked before the entry is read: a samples entry would read its CSV file first.
            if let members = try? node.members(), let other = members.first(where: { NetworkFile.inputKinds.contains($0.key) && !kinds.contains($0.key) }) {
                throw other.node.error("a NIR input gives \(kinds.map { "\"\($0)\"" }.joined(separator: " or ")); \"\(other.key)\" inputs belong to network files, whose schedule presents them (see docs/nir.md)")
            }
            let input = try NetworkFile.readInput(node, steps: steps)
            guard !inputs.contains(where: { $0.name == input.name }) else {
                throw node.error("input \"\(input.name)\" is listed twice")
            }
            inputs.append(input)
        }
        return inputs
    }
}
