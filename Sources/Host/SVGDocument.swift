/// A self-contained SVG picture under construction: shapes and text only (no scripts, no
/// external references), coordinates rounded to a tenth of a pixel so files stay small and the
/// same picture always gives the same bytes.
struct SVGDocument {
    let width: Int
    let height: Int
    private var parts: [String] = []

    /// A picture of `width` × `height` pixels on white, or, without `background`, shapes to be
    /// placed into another picture (a pattern's cell) through `shapes`.
    init(width: Int, height: Int, background: Bool = true) {
        self.width = width
        self.height = height
        if background { parts.append("<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>") }
    }

    /// The shapes added so far, without the document around them.
    var shapes: String { parts.joined() }

    /// Appends raw markup (already escaped).
    mutating func add(_ markup: String) { parts.append(markup) }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 1, attributes: String = "", title: String? = nil) {
        var markup = "<rect\(attributes.isEmpty ? "" : " " + attributes) x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"\(fill)\""
        if let stroke { markup += " stroke=\"\(stroke)\" stroke-width=\"\(Self.number(strokeWidth))\"" }
        if let title {
            markup += "><title>\(Self.escape(title))</title></rect>"
        } else {
            markup += "/>"
        }
        parts.append(markup)
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, attributes: String = "", title: String? = nil) {
        var markup = "<line\(attributes.isEmpty ? "" : " " + attributes) x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
        if let title {
            markup += "><title>\(Self.escape(title))</title></line>"
        } else {
            markup += "/>"
        }
        parts.append(markup)
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ content: String, x: Double, y: Double, size: Double = 13, anchor: Anchor = .start, bold: Bool = false, fill: String = "#222222", rotate: Bool = false) {
        var markup = "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\""
        if anchor != .start { markup += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { markup += " font-weight=\"bold\"" }
        if fill != "#222222" { markup += " fill=\"\(fill)\"" }
        if rotate { markup += " transform=\"rotate(-90 \(Self.number(x)) \(Self.number(y)))\"" }
        parts.append(markup + ">\(Self.escape(content))</text>")
    }

    /// The finished document.
    var text: String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
            + parts.joined(separator: "\n") + "\n</svg>\n"
    }

    /// `value` rounded to one decimal, without a trailing `.0`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        let whole = Int(tenths / 10)
        let fraction = Int(abs(tenths.truncatingRemainder(dividingBy: 10)))
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// Text safe inside an element or a double-quoted attribute.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    /// An `#rrggbb` colour.
    static func color(_ red: Double, _ green: Double, _ blue: Double) -> String {
        func byte(_ value: Double) -> String { hexadecimal(UInt8(max(0, min(255, value.rounded()))), digits: 2, uppercase: false) }
        return "#" + byte(red) + byte(green) + byte(blue)
    }

    /// A colour of a sequential scale given by anchor colours at even spacing; `fraction` in 0…1.
    static func interpolate(_ anchors: [(Double, Double, Double)], _ fraction: Double) -> String {
        let f = max(0, min(1, fraction.isFinite ? fraction : 0)) * Double(anchors.count - 1)
        let low = min(Int(f), anchors.count - 2)
        let t = f - Double(low)
        let (a, b) = (anchors[low], anchors[low + 1])
        return color(a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t)
    }

    /// Viridis (perceptually uniform, readable in grey): for heatmaps.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]

    /// Light yellow to dark red: for traffic drawn on white, where little should look faint.
    static let heat: [(Double, Double, Double)] = [
        (255, 237, 160), (254, 178, 76), (240, 59, 32), (128, 0, 38),
    ]

    /// Tick values 0, step, 2·step, … up to at least `maximum`, with step 1, 2 or 5 × 10^k.
    static func ticks(upTo maximum: Double, count: Int = 5) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0, 1] }
        let raw = maximum / Double(max(1, count))
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        var values: [Double] = [0]
        while let last = values.last, last < maximum { values.append(Double(values.count) * step) }
        return values
    }

    /// A tick label: integers without decimals, others with up to three significant decimals.
    static func tickLabel(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return RunSummary.fixed(value, 3).trimmingZeros
    }
}
