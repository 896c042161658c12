import Testing
@testable import Router

@Suite struct AERPacketTests {
    @Test func plainSpikeCarriesPayloadOne() {
        let packet = AERPacket(source: 3, destination: 7, axon: 11, injectCycle: 42)
        #expect(packet.payload == 1)
        #expect(packet.source == 3 && packet.destination == 7 && packet.axon == 11 && packet.injectCycle == 42)
        #expect(AERPacket(source: 3, destination: 7, axon: 11, payload: -1, injectCycle: 42) != packet)
    }

    /// The models look endpoints up in unchecked tables: a packet to or from an endpoint the
    /// mesh lacks stops the process with a message instead of reading beyond them.
    @Test func packetsBeyondTheMeshEndpointsStop() async {
        // Each case must stop with the message (a segfault would fail too, but say nothing).
        func expectMessage(_ result: ExitTest.Result?, _ source: Int32, _ destination: Int32) {
            #expect(standardError(of: result).contains("packet from endpoint \(source) to \(destination): the mesh's endpoints are 0..<5"), "\(source) → \(destination)")
        }
        expectMessage(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Self.route(from: 0, to: 6, flit: false) }, 0, 6)
        expectMessage(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Self.route(from: 0, to: 9, flit: false) }, 0, 9)
        expectMessage(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Self.route(from: -1, to: 0, flit: false) }, -1, 0)
        expectMessage(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Self.route(from: 0, to: -1, flit: true) }, 0, -1)
        expectMessage(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Self.route(from: 5, to: 2, flit: true) }, 5, 2)
        // Every endpoint, the host port (4) included, routes.
        for flit in [false, true] {
            for source in Int32(0)...4 { #expect(Self.route(from: source, to: (4 - source) % 4, flit: flit) == 2) }
        }
    }

    /// Routes a packet from 0 to 1 and one from `source` to `destination` on 2 × 2 tiles of one
    /// core each with the host port (endpoints 0…4); the deliveries.
    private static func route(from source: Int32, to destination: Int32, flit: Bool) -> Int {
        let mesh = Mesh(width: 2, height: 2, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 2, flitsPerPacket: 1)
        let packets = [AERPacket(source: 0, destination: 1, axon: 0, injectCycle: 0), AERPacket(source: source, destination: destination, axon: 0, injectCycle: 0)]
        var network: any NetworkModel = flit ? FlitNetwork(mesh: mesh, timing: timing, routing: .xy, buffer: 4) : IdealNetwork(mesh: mesh, timing: timing, routing: .xy)
        var deliveries: [PacketDelivery] = []
        network.route(packets, into: &deliveries)
        return deliveries.count
    }
}
