/// Reads `--input FILE` for a NIR run: `{"inputs": [...]}` with entries in the network file's
/// inputs format (`spike_times` or `poisson`), each named after a NIR Input node.
public enum NIRInputFile {
    public static func load(path: String, steps: Int) throws(ConfigError) -> [InputDescription] {
        let root = JSONNode(value: try JSONParser.parse(contentsOfFile: path), file: path)
        let object = try root.object(allowedKeys: ["inputs"])
        var inputs: [InputDescription] = []
        for node in try object.required("inputs").array() {
            let input = try NetworkFile.readInput(node, steps: steps)
            guard !inputs.contains(where: { $0.name == input.name }) else {
                throw node.error("input \"\(input.name)\" is listed twice")
            }
            inputs.append(input)
        }
        return inputs
    }
}
