/// Writes a `JSONValue` as JSON text that `JSONParser` reads back into an equal value.
///
/// The layout is for people and diffs: a value whose one-line form fits in `lineLimit`
/// characters stays on one line (a step, a core, a link is one line of a report); larger objects
/// and arrays put one member per line, indented by two spaces. Member order is kept, numbers are
/// written in Swift's shortest round-trip form, and a non-finite number becomes `null` (JSON has
/// no infinity), so the same value always gives the same bytes.
public enum JSONWriter {
    /// The longest one-line form kept on one line.
    public static let lineLimit = 400

    /// The JSON text of `value`, ending with a newline.
    public static func text(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        return output + "\n"
    }

    /// The one-line form of `value`.
    public static func compact(_ value: JSONValue) -> String {
        var output = ""
        writeCompact(value, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, indent: Int, into output: inout String) {
        var line = ""
        if writeCompact(value, into: &line, limit: lineLimit - indent) {
            output += line
            return
        }
        let inner = String(repeating: " ", count: indent + 2)
        switch value {
        case .array(let elements):
            output += "[\n"
            for (k, element) in elements.enumerated() {
                output += inner
                write(element, indent: indent + 2, into: &output)
                output += k + 1 < elements.count ? ",\n" : "\n"
            }
            output += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            output += "{\n"
            for (k, member) in members.enumerated() {
                output += inner + quoted(member.key) + ": "
                write(member.value, indent: indent + 2, into: &output)
                output += k + 1 < members.count ? ",\n" : "\n"
            }
            output += String(repeating: " ", count: indent) + "}"
        default:
            writeCompact(value, into: &output)
        }
    }

    /// Writes the one-line form, giving up (false) as soon as it grows past `limit` UTF-8 bytes,
    /// so deciding the layout of a large document stays linear in its size.
    private static func writeCompact(_ value: JSONValue, into output: inout String, limit: Int) -> Bool {
        switch value {
        case .array(let elements):
            output += "["
            for (k, element) in elements.enumerated() {
                if k > 0 { output += ", " }
                guard writeCompact(element, into: &output, limit: limit) else { return false }
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (k, member) in members.enumerated() {
                if k > 0 { output += ", " }
                output += quoted(member.key) + ": "
                guard output.utf8.count <= limit, writeCompact(member.value, into: &output, limit: limit) else { return false }
            }
            output += "}"
        default:
            writeCompact(value, into: &output)
        }
        return output.utf8.count <= limit
    }

    private static func writeCompact(_ value: JSONValue, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .number(let number): output += number.isFinite ? "\(number)" : "null"
        case .string(let text): output += quoted(text)
        case .array(let elements):
            output += "["
            for (k, element) in elements.enumerated() {
                if k > 0 { output += ", " }
                writeCompact(element, into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (k, member) in members.enumerated() {
                if k > 0 { output += ", " }
                output += quoted(member.key) + ": "
                writeCompact(member.value, into: &output)
            }
            output += "}"
        }
    }
}

extension JSONValue {
    /// An integer from an unsigned count (counts never come near 2^63).
    static func count(_ value: UInt64) -> JSONValue { .integer(Int64(clamping: value)) }
    static func count(_ value: Int) -> JSONValue { .integer(Int64(value)) }

    /// An object from key–value pairs, in order.
    static func fields(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { JSONMember(key: $0.key, value: $0.value) })
    }

    /// A number, or null when there is none (`energy per spike` of a run without spikes).
    static func optionalNumber(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
}
