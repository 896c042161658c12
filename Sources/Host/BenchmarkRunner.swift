import Chip
import Dispatch
import Router

/// Runs benchmark cases and measures them (`neuroemu bench`).
public enum BenchmarkRunner {
    /// The chip `benchmark` runs on: the `loihi` preset shaped as the case asks, with `router`.
    public static func chip(for benchmark: BenchmarkCase, network: NetworkDescription, router: RouterFidelity) throws -> ChipDescription {
        try chipAndPartition(for: benchmark, network: network, router: router).chip
    }

    /// `chip(for:network:router:)` and, for a grown mesh, the partition that sized it (valid on
    /// the chip returned: only the mesh differs, and it holds the partition's cores).
    static func chipAndPartition(
        for benchmark: BenchmarkCase, network: NetworkDescription, router: RouterFidelity, threads: Int = 1
    ) throws -> (chip: ChipDescription, partition: Mapping?) {
        var chip = try ChipPresets.resolve("loihi")
        chip.routerFidelity = router
        switch benchmark.chipShape {
        case .preset:
            return (chip, nil)
        case .neuronsPerCore(let neurons):
            chip.coreLimits.neurons = neurons
            return (chip, nil)
        case .grownMesh:
            // Partition once on a mesh with room to spare, then take the smallest near-square
            // mesh of whole tiles that holds the cores the partitioner used.
            chip.mesh = Mesh(width: 128, height: 128, coresPerTile: chip.mesh.coresPerTile, hostTile: TileCoordinate(x: 0, y: 0))
            let partition = try Partitioner.partition(network, on: chip, threads: threads)
            let tiles = (partition.coreEndpoints.count + chip.mesh.coresPerTile - 1) / chip.mesh.coresPerTile
            var width = 1
            while width * width < tiles { width += 1 }
            let height = (tiles + width - 1) / width
            chip.mesh = Mesh(width: width, height: height, coresPerTile: chip.mesh.coresPerTile, hostTile: TileCoordinate(x: 0, y: 0))
            return (chip, partition)
        }
    }

    /// Builds, maps and runs one case; `steps` overrides the case's step count.
    ///
    /// - Parameters:
    ///   - skipsQuietNeurons: see `Core.skipsQuietNeurons` (results are the same).
    ///   - phases: called as each part of the setup begins (see `Simulation.init`).
    ///   - progress: called after each step with (step, steps).
    public static func run(
        _ benchmark: BenchmarkCase, router: RouterFidelity, threads: Int, steps: Int? = nil, skipsQuietNeurons: Bool = true,
        phases: ((String) -> Void)? = nil, progress: ((Int, Int) -> Void)? = nil
    ) throws -> BenchmarkResult {
        ResidentMemory.resetPeak()
        let setupStart = DispatchTime.now().uptimeNanoseconds
        phases?("generating the network")
        let network = try benchmark.networkDescription(threads: threads)
        phases?("partitioning")
        let (chip, partition) = try chipAndPartition(for: benchmark, network: network, router: router, threads: threads)
        var simulation = try Simulation(network: network, chip: chip, partition: partition, threads: threads, phases: phases)
        simulation.setQuietNeuronSkipping(skipsQuietNeurons)
        let setupSeconds = Double(DispatchTime.now().uptimeNanoseconds - setupStart) / 1e9

        let steps = steps ?? benchmark.steps
        var trace = try TraceWriter(level: .steps, path: nil)
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try simulation.run(steps: steps, threads: threads, trace: &trace, progress: progress)
        let simulationSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let mesh = chip.mesh
        return BenchmarkResult(
            caseName: benchmark.name, router: router, threads: threads, neurons: network.neuronCount,
            synapses: network.synapseCount, steps: steps, stepMilliseconds: benchmark.stepMilliseconds,
            cores: simulation.engine.cores.count, mesh: "\(mesh.width)x\(mesh.height) tiles x \(mesh.coresPerTile) cores",
            setupSeconds: setupSeconds, simulationSeconds: simulationSeconds,
            synapticEvents: result.totals[.synapticOp], spikes: result.neuronSpikes,
            peakResidentBytes: ResidentMemory.peakBytes(), coreMemoryBytes: simulation.engine.coreMemoryBytes,
            energyFemtojoules: result.energyFemtojoules, digest: result.digest)
    }
}
