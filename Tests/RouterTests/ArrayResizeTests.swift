import Testing
@testable import Router

struct ArrayResizeTests {
    @Test func resizeKeepsThePrefixAndFillsWhatItAdds() {
        var values = [1, 2, 3]
        values.resize(to: 5, filling: 9)
        #expect(values == [1, 2, 3, 9, 9])
        values.resize(to: 2, filling: 7)
        #expect(values == [1, 2])
        values.resize(to: 2, filling: 7)
        #expect(values == [1, 2])
        values.resize(to: 0, filling: 7)
        #expect(values.isEmpty)
    }
}
