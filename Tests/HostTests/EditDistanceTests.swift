import Testing
@testable import Host

@Suite struct EditDistanceTests {
    @Test(arguments: [
        ("", "", 0),
        ("", "abc", 3),
        ("abc", "", 3),
        ("vth", "vth", 0),
        ("vht", "vth", 2),
        ("kitten", "sitting", 3),
        ("flaw", "lawn", 2),
        ("loihy", "loihi", 1),
        ("step", "steps", 1),
        ("hiden", "hidden", 1),
    ])
    func knownDistances(a: String, b: String, distance: Int) {
        #expect(editDistance(a, b) == distance)
        #expect(editDistance(b, a) == distance)
    }

    @Test func countsCharactersNotBytes() {
        // "é" is one character (two UTF-8 bytes): one substitution away from "e".
        #expect(editDistance("café", "cafe") == 1)
        #expect(editDistance("e\u{301}", "é") == 0)
        #expect(editDistance("🧠", "x") == 1)
    }
}
