import Chip
import Foundation
import Router
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Host

/// Parses XML and counts elements by name and by `class` attribute.
final class SVGCensus: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var classes: [String: Int] = [:]
    var root: String?
    var rootAttributes: [String: String] = [:]

    /// Nil when the text is not well-formed XML.
    static func of(_ text: String) -> SVGCensus? {
        let census = SVGCensus()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = census
        return parser.parse() ? census : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil {
            root = name
            rootAttributes = attributes
        }
        elements[name, default: 0] += 1
        if let kind = attributes["class"] { classes[kind, default: 0] += 1 }
    }
}

@Suite struct RunPicturesTests {
    static func defaultReport(chip: String = "loihi", steps: Int = 50) throws -> EnergyReport {
        try runReport(DefaultNetwork.load(), on: ChipPresets.resolve(chip), steps: steps)
    }

    @Test func allFourPicturesAreWellFormedSelfContainedSVG() throws {
        let pictures = RunPictures.render(try Self.defaultReport())
        #expect(pictures.map(\.name) == RunPictures.fileNames)
        for (name, svg) in pictures {
            let census = try #require(SVGCensus.of(svg), "\(name) is not well-formed XML")
            #expect(census.root == "svg", "\(name)")
            #expect(census.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg" || census.rootAttributes.isEmpty, "\(name)")
            #expect(census.elements["script"] == nil && census.elements["foreignObject"] == nil && census.elements["image"] == nil, "\(name)")
            #expect(!svg.contains("href"), "\(name) refers to nothing outside itself")
            #expect(svg.utf8.count < 400_000, "\(name) is \(svg.utf8.count) bytes")
        }
    }

    @Test(arguments: ["loihi", "spinnaker2"])
    func coreEnergyHasOneElementPerCoreOfTheMesh(chip: String) throws {
        let report = try Self.defaultReport(chip: chip, steps: 5)
        let census = try #require(SVGCensus.of(RunPictures.coreEnergy(report)))
        let mesh = report.simulation.chip.mesh
        #expect(census.classes["core"] == mesh.coreCount)
        #expect(census.classes["tile"] == mesh.tileCount)
        // Used cores carry a tooltip; unused ones do not.
        #expect(census.elements["title"] == report.cores.count)
    }

    /// The step axis marks whole steps, each once: every step of a short run (a 5-step run had
    /// "1" three times and half steps), step 1 and round steps of a long one.
    @Test func stepTicksAreWholeStepsEachOnce() {
        #expect(RunPictures.stepTicks(steps: 1) == [1])
        #expect(RunPictures.stepTicks(steps: 5) == [1, 2, 3, 4, 5])
        #expect(RunPictures.stepTicks(steps: 10) == Array(1...10))
        #expect(RunPictures.stepTicks(steps: 11) == [1, 2, 4, 6, 8, 10])
        #expect(RunPictures.stepTicks(steps: 1000) == [1, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
    }

    @Test func coreEnergyColoursTheHungriestCoreBrightest() throws {
        let report = try Self.defaultReport(steps: 5)
        let svg = RunPictures.coreEnergy(report)
        let hungriest = try #require(report.cores.max { $0.energyFemtojoules < $1.energyFemtojoules })
        // The hungriest core's rectangle is the one that holds its tooltip, and only it (and the
        // legend's top) is drawn in the brightest colour.
        let rectangles = svg.components(separatedBy: "<rect ").dropFirst()
        let brightest = try #require(rectangles.first { $0.contains("<title>mesh core \(hungriest.meshCore) (engine core \(hungriest.core)) on tile \(hungriest.tile):") })
        #expect(brightest.hasPrefix("class=\"core\"") && brightest.contains("fill=\"#fde725\""))
        #expect(rectangles.filter { $0.hasPrefix("class=\"core\"") && $0.contains("fill=\"#fde725\"") }.count == 1)
    }

    @Test func linkTrafficDrawsEveryTileAndEveryUsedLink() throws {
        let report = try Self.defaultReport(steps: 5)
        let census = try #require(SVGCensus.of(RunPictures.linkTraffic(report)))
        #expect(census.classes["tile"] == report.simulation.chip.mesh.tileCount)
        #expect(census.classes["link"] == report.links.count)
        #expect(report.links.count > 0)
    }

    @Test func largeMeshesBinLinksIntoPaths() throws {
        let report = try PairNetwork.report(on: "truenorth")
        let census = try #require(SVGCensus.of(RunPictures.linkTraffic(report)))
        #expect(census.classes["tile"] == 4096)
        #expect(census.classes["link"] == nil)
        #expect(census.classes["links"] == 1)
        let cores = try #require(SVGCensus.of(RunPictures.coreEnergy(report)))
        #expect(cores.classes["core"] == 4096)
        #expect(cores.classes["tile"] == nil, "one core per tile: the core is the tile")
    }

    /// Beyond `individualSlots` the unused mesh is one patterned rectangle: a 512 × 512 mesh
    /// of four-core tiles gives pictures of kilobytes, with every used core and tile still its own
    /// element, each where it is drawn on a small mesh.
    @Test func meshesOfManySlotsDrawOnlyTheUsedOnes() throws {
        var chip = try ChipPresets.resolve("loihi")
        chip.mesh = Mesh(width: 512, height: 512, coresPerTile: 4, hostTile: TileCoordinate(x: 0, y: 0))
        let report = try runReport(PairNetwork.network(), on: chip, steps: 10, placement: .inOrder, packing: .onePopulationPerCore)
        #expect(report.cores.count == 2)
        let energy = RunPictures.coreEnergy(report)
        let cores = try #require(SVGCensus.of(energy))
        #expect(cores.classes["unused-mesh"] == 1 && cores.elements["pattern"] == 1)
        #expect(cores.classes["tile"] == 1, "both cores sit on tile (0, 0)")
        #expect(cores.classes["core"] == 4, "the used tile's four slots, two of them used")
        #expect(cores.elements["title"] == 2)
        #expect(energy.utf8.count < 20_000, "\(energy.utf8.count) bytes")
        // Every shape has a size: tiles under 4 pixels once drew cores of negative width.
        #expect(!energy.contains("width=\"-") && !energy.contains("height=\"-") && !energy.contains("width=\"0\""))
        // The pattern repeats exactly one tile: its period is the tile's size, unrounded.
        let layout = RunPictures.MeshLayout(mesh: chip.mesh, left: 70, top: 70, width: 900, height: 670)
        #expect(energy.contains("width=\"\(RunSummary.fixed(layout.size, 6).trimmingZeros)\""))
        let links = RunPictures.linkTraffic(report)
        let census = try #require(SVGCensus.of(links))
        #expect(census.classes["unused-mesh"] == 1 && census.classes["tile"] == 1)
        #expect(links.utf8.count < 20_000, "\(links.utf8.count) bytes")
    }

    /// Up to `individualSlots` every slot is its own element (the picture a small mesh always had).
    @Test func meshesUpToTheBoundDrawEverySlot() throws {
        var chip = try ChipPresets.resolve("loihi")
        chip.mesh = Mesh(width: 32, height: 32, coresPerTile: 4, hostTile: TileCoordinate(x: 0, y: 0))
        #expect(chip.mesh.coreCount == RunPictures.individualSlots)
        let report = try runReport(PairNetwork.network(), on: chip, steps: 10, placement: .inOrder, packing: .onePopulationPerCore)
        let cores = try #require(SVGCensus.of(RunPictures.coreEnergy(report)))
        #expect(cores.classes["core"] == 4096 && cores.classes["tile"] == 1024 && cores.classes["unused-mesh"] == nil)
    }

    /// The pictures' directory is checked as the other outputs are, before the run: a picture's
    /// name taken by a directory fails, naming it.
    @Test func checkWritableFindsAPictureThatCannotBeWritten() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-pictures-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try RunPictures.checkWritable(directory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        let taken = (directory as NSString).appendingPathComponent("steps.svg")
        try FileManager.default.createDirectory(atPath: taken, withIntermediateDirectories: false)
        #expect(throws: OutputError.cannotWrite(file: taken, reason: "it is a directory; give a file path")) { try RunPictures.checkWritable(directory) }
    }

    /// The four pictures are written all or none: when the last cannot be written (here it leads
    /// to /dev/full), the three before it keep their earlier contents and no temporary file is left.
    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full")))
    func picturesAreWrittenAllOrNone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-pictures-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        for name in RunPictures.fileNames.dropLast() { try "old".write(toFile: (directory as NSString).appendingPathComponent(name), atomically: false, encoding: .utf8) }
        let last = (directory as NSString).appendingPathComponent(RunPictures.fileNames.last ?? "")
        try FileManager.default.createSymbolicLink(atPath: last, withDestinationPath: "/dev/full")
        #expect(throws: OutputError.cannotWrite(file: last, reason: String(cString: strerror(ENOSPC)))) { try RunPictures.write(try Self.defaultReport(steps: 5), to: directory) }
        for name in RunPictures.fileNames.dropLast() {
            #expect(try String(contentsOfFile: (directory as NSString).appendingPathComponent(name), encoding: .utf8) == "old", "\(name)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == RunPictures.fileNames.sorted())
    }

    @Test func rasterHasOneBandPerGroupAndSaysWhenItDownsamples() throws {
        let report = try Self.defaultReport(steps: 50)
        let full = RunPictures.raster(report)
        #expect(full.contains("all shown"))
        #expect(full.contains(">drive (input)</text>") && full.contains(">exc</text>") && full.contains(">inh</text>"))
        #expect(SVGCensus.of(full)?.classes["spikes"] == 3)
        let thinned = RunPictures.raster(report, budget: 500)
        #expect(thinned.contains("downsampled: every"))
        #expect(!thinned.contains("all shown"))
        // Each drawn spike is one "M x y h w" segment.
        let marks = thinned.components(separatedBy: "h").count - 1
        #expect(marks < full.components(separatedBy: "h").count - 1)
    }

    @Test func stepsPlotsOneLinePerSeries() throws {
        let report = try Self.defaultReport(steps: 50)
        let svg = RunPictures.steps(report)
        let census = try #require(SVGCensus.of(svg))
        #expect(census.classes["series"] == 2)
        let firstLine = try #require(svg.components(separatedBy: "<polyline class=\"series\" points=\"").dropFirst().first)
        #expect(firstLine.prefix { $0 != "\"" }.split(separator: " ").count == 50)
    }

    /// The time per step is the mean cycles' time, as the summary gives it: on tiny (100 MHz)
    /// a mean of 41.7 cycles is 417.0 ns, not the 420.0 ns of a mean rounded to whole cycles.
    @Test func stepsSubtitleTimesTheMeanCycles() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let network = try NetworkFile.load(path: repository.appendingPathComponent("configs/networks/feedforward.network.json").path)
        let report = try runReport(network, on: ChipPresets.resolve("tiny"), steps: 40)
        let cycles = report.recording.steps.reduce(0) { $0 + Int($1.cycles) }
        #expect(cycles == 1_668)
        #expect(RunPictures.steps(report).contains("mean 41.7 cycles per step, max 42; 417.0 ns per step at 100 MHz"))
    }

    /// On a board the link picture's subtitle counts the hops between chips too.
    @Test func linkTrafficCountsHopsBetweenChips() throws {
        let board = try ChipFile.parse(BoardTests.boardText(), file: "board.json")
        let network = try NetworkFile.load(path: "\(BoardTests.directory)/two-chips.network.json")
        let report = try runReport(network, on: board, steps: 20, placement: .inOrder)
        let hops = report.result.totals[.interChipFlitHop]
        #expect(hops > 0)
        let total = hops + report.result.totals[.eastWestFlitHop] + report.result.totals[.northSouthFlitHop]
        #expect(RunPictures.linkTraffic(report).contains("\(total) flit-hops (\(report.result.totals[.eastWestFlitHop]) east–west, \(report.result.totals[.northSouthFlitHop]) north–south, \(hops) between chips) on"))
    }

    @Test func writeCreatesTheDirectoryAndNamesAPathThatIsAFile() throws {
        let report = try runReport(GoldenNetwork.network(), on: GoldenNetwork.chip(), steps: 5)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-svg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let directory = base.appendingPathComponent("nested/pictures").path
        let paths = try RunPictures.write(report, to: directory)
        #expect(paths == RunPictures.fileNames.map { directory + "/" + $0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == RunPictures.fileNames.sorted())
        let file = base.appendingPathComponent("plain").path
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        #expect(throws: OutputError.cannotWrite(file: file, reason: "exists and is not a directory")) {
            try RunPictures.write(report, to: file)
        }
        // Under a file, the directory cannot be created: the message names the file in the way.
        #expect(throws: OutputError.cannotWrite(file: file + "/a/b", reason: "cannot create the directory: \(file) is a file, not a directory")) {
            try RunPictures.prepareDirectory(file + "/a/b")
        }
    }

    @Test func ordinals() {
        #expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 112].map(RunPictures.ordinal) == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "112th"])
    }

    @Test func bandHeightsKeepSmallBandsReadable() {
        let heights = RunPictures.bandHeights(rows: [400, 3200, 800, 1], available: 600, minimum: 26)
        #expect(abs(heights.reduce(0, +) - 600) < 1e-9)
        #expect(heights[3] == 26)
        #expect(heights[1] > heights[2] && heights[2] > heights[0])
    }
}
