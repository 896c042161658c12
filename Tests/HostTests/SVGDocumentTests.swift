import Testing
@testable import Host

@Suite struct SVGDocumentTests {
    @Test func numbersHaveAtMostOneDecimal() {
        #expect(SVGDocument.number(3) == "3")
        #expect(SVGDocument.number(3.04) == "3")
        #expect(SVGDocument.number(3.25) == "3.3")  // halves round away from zero
        #expect(SVGDocument.number(-0.4) == "-0.4")
        #expect(SVGDocument.number(-12.5) == "-12.5")
        #expect(SVGDocument.number(.nan) == "0")
    }

    @Test func textIsEscaped() {
        #expect(SVGDocument.escape(#"a<b>&"c""#) == "a&lt;b&gt;&amp;&quot;c&quot;")
        var svg = SVGDocument(width: 10, height: 10)
        svg.text("x < y & z", x: 1, y: 2)
        #expect(svg.text.contains(">x &lt; y &amp; z</text>"))
    }

    @Test func documentIsAStandaloneSVG() {
        var svg = SVGDocument(width: 120, height: 80)
        svg.rect(x: 1, y: 2, width: 3, height: 4, fill: "#000000", title: "t")
        let text = svg.text
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"80\" viewBox=\"0 0 120 80\""))
        #expect(text.hasSuffix("</svg>\n"))
        #expect(text.contains("<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" fill=\"#000000\"><title>t</title></rect>"))
    }

    @Test func colourScalesRunFromFirstToLastAnchor() {
        #expect(SVGDocument.interpolate(SVGDocument.viridis, 0) == "#440154")
        #expect(SVGDocument.interpolate(SVGDocument.viridis, 1) == "#fde725")
        #expect(SVGDocument.interpolate(SVGDocument.viridis, 2) == "#fde725")
        #expect(SVGDocument.interpolate(SVGDocument.heat, .nan) == "#ffeda0")
        #expect(SVGDocument.interpolate([(0, 0, 0), (255, 255, 255)], 0.5) == "#808080")
    }

    @Test func ticksAreRoundNumbersCoveringTheMaximum() {
        #expect(SVGDocument.ticks(upTo: 19618) == [0, 5000, 10000, 15000, 20000])
        #expect(SVGDocument.ticks(upTo: 1000, count: 10) == [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
        #expect(SVGDocument.ticks(upTo: 0.7).map(SVGDocument.tickLabel) == ["0", "0.2", "0.4", "0.6", "0.8"])
        #expect(SVGDocument.ticks(upTo: 0) == [0, 1])
        #expect(SVGDocument.tickLabel(20000) == "20000")
        #expect(SVGDocument.tickLabel(0.6000000000000001) == "0.6")
    }
}
