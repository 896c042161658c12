/// A parsed JSON value.
///
/// Integers and numbers are kept apart so that configuration readers can
/// tell `3` from `3.5` and report integers beyond `Double` precision exactly.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent, such as `42` or `-7`.
    case integer(Int64)
    /// A number written with a fraction or exponent, such as `1.5` or `2e3`.
    case number(Double)
    case string(String)
    case array(JSONArray)
    /// Members in file order; an array rather than a Dictionary keeps iteration deterministic.
    case object([JSONMember])

    /// An array of `elements` (packed when all are integers, `JSONArray`).
    public static func array(_ elements: [JSONValue]) -> JSONValue { .array(JSONArray(elements)) }

    /// The JSON type's name as used in error messages ("integer", "object", ...).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// A short description for error messages, such as `string "abc"`,
    /// `integer 5000`, `number 1.5`, `array of 3` or `object`.
    public var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return "boolean \(value)"
        case .integer(let value): return "integer \(value)"
        case .number(let value): return "number \(value)"
        case .string(let value): return "string \(quoted(value, limit: 40))"
        case .array(let elements): return "array of \(elements.count)"
        case .object: return "object"
        }
    }

    /// The number as written in the file (`5000`, `1.5`), or nil if not a number.
    var numberText: String? {
        switch self {
        case .integer(let value): return "\(value)"
        case .number(let value): return "\(value)"
        default: return nil
        }
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Equatable, Sendable {
    /// The member's name.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    /// The member `"key": value`.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// `text` in double quotes with quotes, backslashes and control characters
/// escaped, so that messages stay on one line and unambiguous; without a limit, a JSON string
/// literal (what `JSONWriter` writes). Strings longer than `limit` characters are cut and end
/// in "…".
func quoted(_ text: String, limit: Int? = nil) -> String {
    var shown = Substring(text)
    var truncated = false
    if let limit, text.count > limit {
        shown = text.prefix(limit)
        truncated = true
    }
    var result = "\""
    for scalar in shown.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            result += "\\u" + hexadecimal(scalar.value, digits: 4)
        default: result.unicodeScalars.append(scalar)
        }
    }
    if truncated { result += "…" }
    return result + "\""
}

/// Hexadecimal with at least `digits` digits, such as `00E9`.
func hexadecimal<T: BinaryInteger>(_ value: T, digits: Int, uppercase: Bool = true) -> String {
    let text = String(value, radix: 16, uppercase: uppercase)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
}
