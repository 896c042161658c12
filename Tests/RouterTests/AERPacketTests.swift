import Testing
@testable import Router

@Suite struct AERPacketTests {
    @Test func plainSpikeCarriesPayloadOne() {
        let packet = AERPacket(source: 3, destination: 7, axon: 11, injectCycle: 42)
        #expect(packet.payload == 1)
        #expect(packet.source == 3 && packet.destination == 7 && packet.axon == 11 && packet.injectCycle == 42)
        #expect(AERPacket(source: 3, destination: 7, axon: 11, payload: -1, injectCycle: 42) != packet)
    }
}
