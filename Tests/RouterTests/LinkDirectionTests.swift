import Testing
@testable import Router

@Suite struct LinkDirectionTests {
    @Test func rawValuesAreLinkSlotOffsets() {
        #expect(LinkDirection.allCases.map(\.rawValue) == [0, 1, 2, 3])
        #expect(LinkDirection.allCases.map(\.letter) == ["E", "W", "N", "S"])
    }

    @Test func eastWestClassification() {
        #expect(LinkDirection.east.isEastWest)
        #expect(LinkDirection.west.isEastWest)
        #expect(!LinkDirection.north.isEastWest)
        #expect(!LinkDirection.south.isEastWest)
    }
}
