import Chip
import Foundation
import Router

/// The pictures of a run (`--svg DIR`), as self-contained SVG files:
/// - `raster.svg`: spike raster, one band per input and population;
/// - `core-energy.svg`: energy of every core, laid out on the mesh;
/// - `link-traffic.svg`: flits carried by every link of the mesh;
/// - `steps.svg`: cycles and energy of every step.
public enum RunPictures {
    /// File names, in the order they are written.
    public static let fileNames = ["raster.svg", "core-energy.svg", "link-traffic.svg", "steps.svg"]

    /// The raster shows about this many spikes at most; beyond, it shows every k-th neuron.
    public static let rasterSpikeBudget = 20_000

    static let width = 1200
    static let height = 800

    /// The four pictures: (file name, SVG text).
    public static func render(_ report: EnergyReport) -> [(name: String, svg: String)] {
        [("raster.svg", raster(report)), ("core-energy.svg", coreEnergy(report)),
         ("link-traffic.svg", linkTraffic(report)), ("steps.svg", steps(report))]
    }

    /// Writes the four pictures into `directory`, creating it (and its parents) if missing.
    /// Each goes to its temporary file first and the four are renamed into place, one after
    /// another, only when all are written, so a full disk leaves the earlier pictures as they
    /// were, not a mix of old and new (a rename failing part way would leave the ones before it
    /// renamed). Returns the paths written.
    @discardableResult
    public static func write(_ report: EnergyReport, to directory: String) throws(OutputError) -> [String] {
        try prepareDirectory(directory)
        var files: [AtomicFile] = []
        do throws(OutputError) {
            for (name, svg) in render(report) {
                let file = try AtomicFile(path: (directory as NSString).appendingPathComponent(name))
                files.append(file)
                try file.write(Array(svg.utf8))
            }
            for file in files { try file.commit() }
        } catch {
            for file in files { file.discard() }
            throw error
        }
        return files.map(\.path)
    }

    /// Makes `directory` (`prepareDirectory`) and checks that each picture can be written in it,
    /// as the other outputs are checked before a run: a directory that is not writable, or a
    /// picture's name taken by a directory, fails before the work.
    public static func checkWritable(_ directory: String) throws(OutputError) {
        try prepareDirectory(directory)
        for name in fileNames { try OutputError.checkWritable((directory as NSString).appendingPathComponent(name)) }
    }

    /// Creates `directory` and its parents if missing; fails, naming it, when it is a file or
    /// cannot be created. Call it before a long run so a bad path fails fast.
    public static func prepareDirectory(_ directory: String) throws(OutputError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .cannotWrite(file: directory, reason: "exists and is not a directory") }
            return
        }
        // Foundation's reason for a failed create is vague; a parent that is a file is the usual one.
        var parent = (directory as NSString).deletingLastPathComponent
        while !parent.isEmpty, parent != "/", !FileManager.default.fileExists(atPath: parent) { parent = (parent as NSString).deletingLastPathComponent }
        if !parent.isEmpty, FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw .cannotWrite(file: directory, reason: "cannot create the directory: \(parent) is a file, not a directory")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            let writable = FileManager.default.isWritableFile(atPath: parent.isEmpty ? "." : parent)
            throw .cannotWrite(file: directory, reason: "cannot create the directory" + (writable ? "" : ": \(parent.isEmpty ? "." : parent) is not writable"))
        }
    }

    // MARK: Raster

    /// - Parameter budget: about how many spikes to draw at most.
    static func raster(_ report: EnergyReport, budget: Int = rasterSpikeBudget) -> String {
        let network = report.simulation.network
        let recording = report.recording
        let steps = max(1, report.result.steps)
        var svg = SVGDocument(width: width, height: height)
        let groups: [(name: String, size: Int, isInput: Bool)] =
            network.inputs.map { ($0.name, $0.size, true) } + network.populations.map { ($0.name, $0.size, false) }
        let title = "Spike raster — \(network.name) on \(report.simulation.chip.name), \(report.result.steps) steps"
        svg.text(title, x: 20, y: 28, size: 18, bold: true)

        guard recording.keepsSpikes, !groups.isEmpty else {
            svg.text("No spikes were recorded for this run.", x: 20, y: 60)
            return svg.text
        }
        // Show every k-th neuron of each group so that about `rasterSpikeBudget` spikes remain.
        let stored = recording.spikes.count
        let k = recording.spikeStride * max(1, (stored + budget - 1) / max(1, budget))
        let shown = recording.spikes.filter { Int($0.index) % k == 0 }
        let subtitle = k == 1
            ? "\(report.result.neuronSpikes) neuron spikes and \(report.result.inputSpikeCount) input spikes, all shown"
            : "\(report.result.neuronSpikes) neuron spikes and \(report.result.inputSpikeCount) input spikes; downsampled: every \(ordinal(k)) neuron of each group is shown (\(shown.count) of \(recording.spikeTotal) spikes)"
        svg.text(subtitle, x: 20, y: 48, size: 13, fill: "#555555")

        let (left, right, top, bottom) = (210.0, 1170.0, 66.0, 740.0)
        let rows = groups.map { ($0.size + k - 1) / k }
        let gap = 6.0
        let available = bottom - top - gap * Double(groups.count - 1)
        let heights = bandHeights(rows: rows, available: available, minimum: 26)
        var bandTop: [Double] = []
        var y = top
        for height in heights {
            bandTop.append(y)
            y += height + gap
        }
        let stepWidth = (right - left) / Double(steps)
        let markWidth = max(1, stepWidth)
        let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]
        for (g, group) in groups.enumerated() {
            svg.rect(x: left, y: bandTop[g], width: right - left, height: heights[g], fill: g % 2 == 0 ? "#f6f6f6" : "#efefef")
            let spikes = recording.spikesPerGroup[g]
            let middle = bandTop[g] + heights[g] / 2
            svg.text(group.name + (group.isInput ? " (input)" : ""), x: left - 10, y: middle - 2, size: 13, anchor: .end, bold: true)
            svg.text("\(group.size) neurons, \(spikes) spikes", x: left - 10, y: middle + 13, size: 11, anchor: .end, fill: "#555555")
        }
        // One path per group: a short horizontal mark per spike.
        var paths = Array(repeating: "", count: groups.count)
        for spike in shown {
            let g = Int(spike.group)
            let rowHeight = heights[g] / Double(max(1, rows[g]))
            let x = left + Double(spike.step - 1) * stepWidth
            let y = bandTop[g] + (Double(Int(spike.index) / k) + 0.5) * rowHeight
            paths[g] += "M\(SVGDocument.number(x)) \(SVGDocument.number(y))h\(SVGDocument.number(markWidth))"
        }
        for (g, d) in paths.enumerated() where !d.isEmpty {
            let rowHeight = heights[g] / Double(max(1, rows[g]))
            let color = groups[g].isInput ? "#7f7f7f" : palette[(g - network.inputs.count) % palette.count]
            svg.add("<path class=\"spikes\" d=\"\(d)\" stroke=\"\(color)\" stroke-width=\"\(SVGDocument.number(max(1, min(rowHeight, 3))))\" fill=\"none\"/>")
        }
        stepAxis(&svg, steps: report.result.steps, left: left, right: right, y: bottom)
        svg.text("neuron index within each group, from the top (every \(k == 1 ? "" : ordinal(k) + " ")neuron)", x: left, y: 790, size: 11, fill: "#555555")
        return svg.text
    }

    /// Band heights proportional to rows, none below `minimum`, summing to `available`.
    static func bandHeights(rows: [Int], available: Double, minimum: Double) -> [Double] {
        var small = Set<Int>()
        while small.count < rows.count {
            let fixed = Double(small.count) * minimum
            let rest = rows.indices.filter { !small.contains($0) }
            let total = Double(rest.reduce(0) { $0 + max(1, rows[$1]) })
            func share(_ band: Int) -> Double { (available - fixed) * Double(max(1, rows[band])) / total }
            let newlySmall = rest.filter { share($0) < minimum }
            if newlySmall.isEmpty { return rows.indices.map { small.contains($0) ? minimum : share($0) } }
            small.formUnion(newlySmall)
        }
        return rows.map { _ in available / Double(max(1, rows.count)) }
    }

    // MARK: Mesh geometry shared by the two mesh pictures

    /// Where tiles go: `size` pixels per tile, tile (0, 0) at the bottom left (north up).
    struct MeshLayout {
        let mesh: Mesh
        let left: Double
        let top: Double
        let size: Double

        /// Fits the mesh into the box, horizontally at its left edge and vertically centred.
        init(mesh: Mesh, left: Double, top: Double, width: Double, height: Double) {
            self.mesh = mesh
            self.left = left
            size = min(width / Double(mesh.width), height / Double(mesh.height))
            self.top = top + (height - size * Double(mesh.height)) / 2
        }

        /// Top-left corner of a tile's cell.
        func origin(_ tile: TileCoordinate) -> (x: Double, y: Double) {
            (left + Double(tile.x) * size, top + Double(mesh.height - 1 - tile.y) * size)
        }

        func center(_ tile: TileCoordinate) -> (x: Double, y: Double) {
            let o = origin(tile)
            return (o.x + size / 2, o.y + size / 2)
        }

        var right: Double { left + Double(mesh.width) * size }
        var bottom: Double { top + Double(mesh.height) * size }
    }

    /// Tile coordinates along the mesh edges (every column and row, or every few when small).
    static func meshAxes(_ svg: inout SVGDocument, _ layout: MeshLayout) {
        let every = layout.size >= 18 ? 1 : Int((18 / layout.size).rounded(.up))
        for x in Swift.stride(from: 0, to: layout.mesh.width, by: every) {
            svg.text("\(x)", x: layout.center(TileCoordinate(x: x, y: 0)).x, y: layout.bottom + 14, size: 10, anchor: .middle, fill: "#555555")
        }
        for y in Swift.stride(from: 0, to: layout.mesh.height, by: every) {
            svg.text("\(y)", x: layout.left - 5, y: layout.center(TileCoordinate(x: 0, y: y)).y + 4, size: 10, anchor: .end, fill: "#555555")
        }
        svg.text("x (east →)", x: (layout.left + layout.right) / 2, y: layout.bottom + 30, size: 11, anchor: .middle, fill: "#555555")
        svg.text("y (north →)", x: layout.left - 28, y: (layout.top + layout.bottom) / 2, size: 11, anchor: .middle, fill: "#555555", rotate: true)
    }

    /// Mesh slots (cores or tiles) a picture draws one element each; beyond this the unused ones
    /// are a pattern (`unusedMesh`), so the file's size follows what the network uses.
    static let individualSlots = 4096

    /// Covers the whole mesh with one rectangle filled by `cell` (one unused tile, drawn at the
    /// origin) repeated at every tile.
    static func unusedMesh(_ svg: inout SVGDocument, _ layout: MeshLayout, id: String, cell: SVGDocument) {
        // The period is written exactly: rounded to a tenth of a pixel it would drift from the
        // tiles drawn over it by up to 0.05 px a tile.
        let size = RunSummary.fixed(layout.size, 6).trimmingZeros
        svg.add("<defs><pattern id=\"\(id)\" patternUnits=\"userSpaceOnUse\" x=\"\(SVGDocument.number(layout.left))\" y=\"\(SVGDocument.number(layout.top))\" width=\"\(size)\" height=\"\(size)\">\(cell.shapes)</pattern></defs>")
        svg.rect(x: layout.left, y: layout.top, width: layout.right - layout.left, height: layout.bottom - layout.top, fill: "url(#\(id))", attributes: "class=\"unused-mesh\"")
    }

    /// A vertical colour bar with its scale, for values 0…`maximum` (already in display units).
    static func colorBar(_ svg: inout SVGDocument, id: String, anchors: [(Double, Double, Double)], x: Double, top: Double, height: Double, maximum: Double, unit: String, caption: String, logarithmic: Bool = false) {
        var stops = ""
        for k in 0...10 {
            let fraction = Double(k) / 10
            stops += "<stop offset=\"\(SVGDocument.number(100 * fraction))%\" stop-color=\"\(SVGDocument.interpolate(anchors, 1 - fraction))\"/>"
        }
        svg.add("<defs><linearGradient id=\"\(id)\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">\(stops)</linearGradient></defs>")
        svg.text(caption, x: x, y: top - 12, size: 12, bold: true)
        svg.rect(x: x, y: top, width: 18, height: height, fill: "url(#\(id))", stroke: "#888888")
        if logarithmic {
            // Powers of ten from 1 up to the maximum, placed on the log scale.
            let top10 = log10(max(maximum, 1))
            var power = 1.0
            var values: [Double] = []
            while power <= maximum { values.append(power); power *= 10 }
            if let last = values.last, top10 > 0, height * (top10 - log10(last)) / top10 < 16 { values.removeLast() }
            for value in values + [maximum] {
                let y = top + height * (1 - (top10 > 0 ? log10(value) / top10 : 0))
                svg.line(x1: x + 18, y1: y, x2: x + 23, y2: y, stroke: "#888888")
                svg.text("\(SVGDocument.tickLabel(value)) \(unit)", x: x + 27, y: y + 4, size: 11, fill: "#333333")
            }
            svg.text("(logarithmic scale)", x: x, y: top + height + 18, size: 11, fill: "#555555")
            return
        }
        var ticks = SVGDocument.ticks(upTo: maximum).filter { $0 <= maximum * 1.0000001 }
        // The maximum gets its own label unless a tick already sits (nearly) there.
        if let last = ticks.last, maximum > 0, height * (maximum - last) / maximum < 16 { ticks.removeLast() }
        for value in ticks + (ticks.last == maximum ? [] : [maximum]) {
            let y = top + height * (1 - (maximum > 0 ? value / maximum : 0))
            svg.line(x1: x + 18, y1: y, x2: x + 23, y2: y, stroke: "#888888")
            svg.text("\(SVGDocument.tickLabel(value)) \(unit)", x: x + 27, y: y + 4, size: 11, fill: "#333333")
        }
    }

    // MARK: Core energy

    static func coreEnergy(_ report: EnergyReport) -> String {
        let chip = report.simulation.chip
        let mesh = chip.mesh
        var svg = SVGDocument(width: width, height: height)
        svg.text("Energy per core — \(report.simulation.network.name) on \(chip.name) (\(mesh.width)×\(mesh.height) tiles, \(RunSummary.counted(mesh.coresPerTile, "core")) per tile)", x: 20, y: 28, size: 18, bold: true)
        let coreTotal = report.cores.reduce(Int64(0)) { $0 + $1.energyFemtojoules }
        let linkTotal = report.links.reduce(Int64(0)) { $0 + $1.energyFemtojoules }
        svg.text("cores \(RunSummary.energy(coreTotal)) of \(RunSummary.energy(report.result.energyFemtojoules)) in all; not in any core: links \(RunSummary.energy(linkTotal)), host packets \(RunSummary.energy(report.hostEnergyFemtojoules)), barriers \(RunSummary.energy(report.barrierEnergyFemtojoules)), static \(RunSummary.energy(report.staticEnergyFemtojoules))", x: 20, y: 48, size: 13, fill: "#555555")

        let layout = MeshLayout(mesh: mesh, left: 70, top: 70, width: 900, height: 670)
        let columns = Int(Double(mesh.coresPerTile).squareRoot().rounded(.up))
        let rows = (mesh.coresPerTile + columns - 1) / columns
        // At least a pixel's gap (half one between cores), but never a quarter of the space:
        // on a mesh of tiles under 4 pixels a fixed gap would leave shapes of negative size.
        let gap = min(max(1, layout.size * 0.08), layout.size * 0.25)
        let cell = (layout.size - gap) / Double(max(columns, rows))
        let coreGap = mesh.coresPerTile > 1 ? min(max(0.5, cell * 0.06), cell * 0.25) : 0
        var byEndpoint = [Int: EnergyReport.CoreRow]()
        for row in report.cores { byEndpoint[row.meshCore] = row }
        let maximum = report.cores.map(\.energyFemtojoules).max() ?? 0
        let (scale, unit) = energyUnit(maximum)
        // Where a tile's cores go, relative to its cell's top-left corner.
        func corePlace(_ slot: Int, x: Double, y: Double) -> (x: Double, y: Double, side: Double) {
            (x + gap / 2 + Double(slot % columns) * cell + coreGap / 2, y + gap / 2 + Double(slot / columns) * cell + coreGap / 2, cell - coreGap)
        }
        func drawTile(_ svg: inout SVGDocument, _ tile: Int?, x: Double, y: Double) {
            if mesh.coresPerTile > 1 {  // a tile of one core is just that core
                svg.rect(x: x + gap / 2, y: y + gap / 2, width: layout.size - gap, height: layout.size - gap, fill: "#fafafa", stroke: "#cccccc", strokeWidth: 0.5, attributes: tile == nil ? "" : "class=\"tile\"")
            }
            for slot in 0..<mesh.coresPerTile {
                let place = corePlace(slot, x: x, y: y)
                if let tile, let row = byEndpoint[tile * mesh.coresPerTile + slot] {
                    let fraction = maximum > 0 ? Double(row.energyFemtojoules) / Double(maximum) : 0
                    // The network file's order, each population once.
                    let populations = Set(row.slices.map(\.population)).sorted().map { report.simulation.network.populations[$0].name }.joined(separator: ", ")
                    // Both numbers, as the report's rows give them (`mesh_core`, `core`).
                    svg.rect(x: place.x, y: place.y, width: place.side, height: place.side, fill: SVGDocument.interpolate(SVGDocument.viridis, fraction), attributes: "class=\"core\"",
                             title: "mesh core \(row.meshCore) (engine core \(row.core)) on tile \(row.tile): \(row.neurons) neurons (\(populations)), \(RunSummary.energy(row.energyFemtojoules)), \(row.counts[.synapticOp]) synaptic ops, \(row.counts[.spikeOut]) spikes")
                } else {
                    svg.rect(x: place.x, y: place.y, width: place.side, height: place.side, fill: "#e4e4e4", attributes: tile == nil ? "" : "class=\"core\"")
                }
            }
        }
        if mesh.coreCount <= individualSlots {
            for tile in 0..<mesh.tileCount {
                let origin = layout.origin(mesh.coordinate(ofTile: tile))
                drawTile(&svg, tile, x: origin.x, y: origin.y)
            }
        } else {
            // The empty mesh is one rectangle filled with a pattern of an unused tile; only the
            // tiles with a used core are drawn over it (a million slots drawn one by one took 94 MB).
            var unusedTile = SVGDocument(width: 0, height: 0, background: false)
            drawTile(&unusedTile, nil, x: 0, y: 0)
            unusedMesh(&svg, layout, id: "unused-tile", cell: unusedTile)
            for tile in Set(report.cores.map { $0.meshCore / mesh.coresPerTile }).sorted() {
                let origin = layout.origin(mesh.coordinate(ofTile: tile))
                drawTile(&svg, tile, x: origin.x, y: origin.y)
            }
        }
        let host = layout.origin(mesh.hostTile)
        svg.rect(x: host.x + 0.5, y: host.y + 0.5, width: layout.size - 1, height: layout.size - 1, fill: "none", stroke: "#e8000b", strokeWidth: 2)
        meshAxes(&svg, layout)
        colorBar(&svg, id: "energy", anchors: SVGDocument.viridis, x: 1010, top: 100, height: 420, maximum: Double(maximum) / scale, unit: unit, caption: "energy per core")
        svg.rect(x: 1010, y: 560, width: 18, height: 18, fill: "#e4e4e4")
        svg.text("unused core", x: 1036, y: 574, size: 12)
        svg.rect(x: 1010, y: 590, width: 18, height: 18, fill: "none", stroke: "#e8000b", strokeWidth: 2)
        svg.text("host port tile", x: 1036, y: 604, size: 12)
        svg.text("\(report.cores.count) of \(mesh.coreCount) cores used", x: 1010, y: 640, size: 12)
        svg.text("north up; tile (0, 0) bottom left", x: 1010, y: 660, size: 11, fill: "#555555")
        return svg.text
    }

    // MARK: Link traffic

    static func linkTraffic(_ report: EnergyReport) -> String {
        let chip = report.simulation.chip
        let mesh = chip.mesh
        let totals = report.result.totals
        var svg = SVGDocument(width: width, height: height)
        svg.text("Link traffic — \(report.simulation.network.name) on \(chip.name) (\(mesh.width)×\(mesh.height) mesh, \(chip.routing.rawValue) routing)", x: 20, y: 28, size: 18, bold: true)
        let betweenChips = mesh.chipCount > 1 ? ", \(totals[.interChipFlitHop]) between chips" : ""
        let hops = totals[.eastWestFlitHop] + totals[.northSouthFlitHop] + totals[.interChipFlitHop]
        svg.text("\(hops) flit-hops (\(totals[.eastWestFlitHop]) east–west, \(totals[.northSouthFlitHop]) north–south\(betweenChips)) on \(report.links.count) links, \(RunSummary.energy(report.links.reduce(0) { $0 + $1.energyFemtojoules }))", x: 20, y: 48, size: 13, fill: "#555555")
        let layout = MeshLayout(mesh: mesh, left: 70, top: 70, width: 900, height: 670)
        // On a large mesh the links, not the tiles, carry the picture: smaller tiles, longer links.
        let large = layout.size < 24
        let tileSide = layout.size * (large ? 0.3 : 0.5)
        var usedTiles = Set<Int>()
        for row in report.cores { usedTiles.insert(row.tile.y * mesh.width + row.tile.x) }
        func drawTile(_ svg: inout SVGDocument, used: Bool, x: Double, y: Double, marked: Bool = true) {
            svg.rect(x: x - tileSide / 2, y: y - tileSide / 2, width: tileSide, height: tileSide,
                     fill: used ? "#c9d6e3" : "#eeeeee", stroke: "#aaaaaa", strokeWidth: 0.5, attributes: marked ? "class=\"tile\"" : "")
        }
        if mesh.tileCount <= individualSlots {
            for tile in 0..<mesh.tileCount {
                let center = layout.center(mesh.coordinate(ofTile: tile))
                drawTile(&svg, used: usedTiles.contains(tile), x: center.x, y: center.y)
            }
        } else {  // as on the core-energy picture: unused tiles as a pattern
            var unusedTile = SVGDocument(width: 0, height: 0, background: false)
            drawTile(&unusedTile, used: false, x: layout.size / 2, y: layout.size / 2, marked: false)
            unusedMesh(&svg, layout, id: "unused-tile", cell: unusedTile)
            for tile in usedTiles.sorted() {
                let center = layout.center(mesh.coordinate(ofTile: tile))
                drawTile(&svg, used: true, x: center.x, y: center.y)
            }
        }
        let host = layout.center(mesh.hostTile)
        svg.rect(x: host.x - tileSide / 2 - 1, y: host.y - tileSide / 2 - 1, width: tileSide + 2, height: tileSide + 2, fill: "none", stroke: "#e8000b", strokeWidth: 2)

        let maximum = report.links.map(\.flits).max() ?? 0
        // A logarithmic colour scale when a few links (often those from the host port) carry far
        // more than the typical one, so the rest of the mesh does not fade to one colour.
        let sorted = report.links.map(\.flits).sorted()
        let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        let logarithmic = maximum > 20 * max(median, 1)
        func scale(_ flits: UInt64) -> Double {
            guard maximum > 0 else { return 0 }
            guard logarithmic else { return Double(flits) / Double(maximum) }
            return log10(Double(max(flits, 1))) / log10(Double(maximum))
        }
        let offset = layout.size * (large ? 0.17 : 0.12)
        let widest = large ? max(1.5, layout.size * 0.3) : max(1.5, min(8, layout.size * 0.2))
        // Segment of a directed link: in the gap between the two tiles, offset to one side so the
        // two directions of a pair are told apart (eastbound above westbound, northbound right of
        // southbound).
        func segment(_ row: EnergyReport.LinkRow) -> (Double, Double, Double, Double) {
            let a = layout.center(row.from)
            let b = layout.center(row.to)
            let inset = tileSide / 2 + layout.size * 0.04
            switch row.direction {
            case .east: return (a.x + inset, a.y - offset, b.x - inset, b.y - offset)
            case .west: return (a.x - inset, a.y + offset, b.x + inset, b.y + offset)
            case .north: return (a.x + offset, a.y - inset, b.x + offset, b.y + inset)
            case .south: return (a.x - offset, a.y + inset, b.x - offset, b.y - inset)
            }
        }
        let individually = mesh.tileCount <= 1024
        var bins = Array(repeating: "", count: 10)
        for row in report.links {
            let fraction = scale(row.flits)
            let (x1, y1, x2, y2) = segment(row)
            if individually {
                svg.line(x1: x1, y1: y1, x2: x2, y2: y2, stroke: SVGDocument.interpolate(SVGDocument.heat, fraction), width: 1 + (widest - 1) * fraction, attributes: "class=\"link\" stroke-linecap=\"round\"",
                         title: "\(row.from) → \(row.to) (\(row.direction.letter)): \(row.flits) flits, \(row.busyCycles) busy cycles, \(row.stallCycles) stall cycles, max queue \(row.maximumQueueDepth), \(RunSummary.energy(row.energyFemtojoules))")
            } else {
                let bin = min(9, Int(fraction * 10))
                bins[bin] += "M\(SVGDocument.number(x1)) \(SVGDocument.number(y1))L\(SVGDocument.number(x2)) \(SVGDocument.number(y2))"
            }
        }
        for (bin, d) in bins.enumerated() where !d.isEmpty {
            let fraction = (Double(bin) + 0.5) / 10
            svg.add("<path class=\"links\" d=\"\(d)\" stroke=\"\(SVGDocument.interpolate(SVGDocument.heat, fraction))\" stroke-width=\"\(SVGDocument.number(1 + (widest - 1) * fraction))\" stroke-linecap=\"round\" fill=\"none\"/>")
        }
        meshAxes(&svg, layout)
        colorBar(&svg, id: "traffic", anchors: SVGDocument.heat, x: 1010, top: 100, height: 420, maximum: Double(maximum), unit: "", caption: "flits per link", logarithmic: logarithmic)
        svg.rect(x: 1010, y: 560, width: 18, height: 18, fill: "#c9d6e3", stroke: "#aaaaaa", strokeWidth: 0.5)
        svg.text("tile with cores in use", x: 1036, y: 574, size: 12)
        svg.rect(x: 1010, y: 590, width: 18, height: 18, fill: "none", stroke: "#e8000b", strokeWidth: 2)
        svg.text("host port tile", x: 1036, y: 604, size: 12)
        svg.text("eastbound above westbound,", x: 1010, y: 640, size: 11, fill: "#555555")
        svg.text("northbound right of southbound", x: 1010, y: 655, size: 11, fill: "#555555")
        if let busiest = report.links.max(by: { $0.flits < $1.flits }) {
            svg.text("busiest: \(busiest.from) → \(busiest.to)", x: 1010, y: 685, size: 11)
            svg.text("\(busiest.flits) flits", x: 1010, y: 700, size: 11)
        }
        return svg.text
    }

    // MARK: Steps

    static func steps(_ report: EnergyReport) -> String {
        let chip = report.simulation.chip
        let records = report.recording.steps
        var svg = SVGDocument(width: width, height: height)
        svg.text("Cycles and energy per step — \(report.simulation.network.name) on \(chip.name)", x: 20, y: 28, size: 18, bold: true)
        guard !records.isEmpty else {
            svg.text("No steps were recorded for this run.", x: 20, y: 60)
            return svg.text
        }
        let cycles = records.map { Double($0.cycles) }
        let energies = records.map { Double($0.energyFemtojoules) }
        let meanCycles = cycles.reduce(0, +) / Double(cycles.count)
        let maxCycles = cycles.max() ?? 0
        svg.text("mean \(RunSummary.fixed(meanCycles, 1)) cycles per step, max \(Int(maxCycles)); \(RunSummary.duration(meanCycles / Double(chip.clockHertz))) per step at \(RunSummary.frequency(chip.clockHertz))",
                 x: 100, y: 62, size: 13, fill: "#555555")
        plot(&svg, values: cycles, top: 76, bottom: 380, label: "cycles", color: "#1f77b4", steps: report.result.steps)
        let maxEnergy = energies.max() ?? 0
        let (scale, unit) = energyUnit(Int64(maxEnergy))
        let meanEnergy = energies.reduce(0, +) / Double(energies.count)
        svg.text("mean \(RunSummary.energy(Int64(meanEnergy.rounded()))) per step, max \(RunSummary.energy(Int64(maxEnergy))); \(RunSummary.energy(report.result.energyFemtojoules)) in all",
                 x: 100, y: 432, size: 13, fill: "#555555")
        plot(&svg, values: energies.map { $0 / scale }, top: 446, bottom: 750, label: "energy (\(unit))", color: "#d62728", steps: report.result.steps)
        stepAxis(&svg, steps: report.result.steps, left: 100, right: 1170, y: 750)
        return svg.text
    }

    /// A line chart of one value per step between `top` and `bottom`; long runs are drawn as the
    /// per-bin minimum–maximum band with the mean line.
    static func plot(_ svg: inout SVGDocument, values: [Double], top: Double, bottom: Double, label: String, color: String, steps: Int) {
        let (left, right) = (100.0, 1170.0)
        let maximum = values.max() ?? 0
        let ticks = SVGDocument.ticks(upTo: maximum > 0 ? maximum : 1)
        let ceiling = ticks.last ?? 1
        func y(_ value: Double) -> Double { bottom - (bottom - top) * value / ceiling }
        func x(_ step: Double) -> Double { left + (right - left) * (step - 0.5) / Double(max(1, values.count)) }
        svg.rect(x: left, y: top, width: right - left, height: bottom - top, fill: "#fbfbfb", stroke: "#cccccc")
        for tick in ticks {
            svg.line(x1: left, y1: y(tick), x2: right, y2: y(tick), stroke: "#e3e3e3")
            svg.text(SVGDocument.tickLabel(tick), x: left - 6, y: y(tick) + 4, size: 11, anchor: .end, fill: "#333333")
        }
        svg.text(label, x: 30, y: (top + bottom) / 2, size: 12, anchor: .middle, fill: "#333333", rotate: true)
        let binCount = 1000
        if values.count <= 1500 {
            let points = values.enumerated().map { "\(SVGDocument.number(x(Double($0.offset + 1)))),\(SVGDocument.number(y($0.element)))" }
            svg.add("<polyline class=\"series\" points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.2\"/>")
        } else {
            var lows: [String] = []
            var highs: [String] = []
            var means: [String] = []
            for bin in 0..<binCount {
                let start = bin * values.count / binCount
                let end = max(start + 1, (bin + 1) * values.count / binCount)
                let slice = values[start..<end]
                let center = x(Double(start + end) / 2 + 0.5)
                lows.append("\(SVGDocument.number(center)),\(SVGDocument.number(y(slice.min() ?? 0)))")
                highs.append("\(SVGDocument.number(center)),\(SVGDocument.number(y(slice.max() ?? 0)))")
                means.append("\(SVGDocument.number(center)),\(SVGDocument.number(y(slice.reduce(0, +) / Double(slice.count))))")
            }
            svg.add("<polygon class=\"band\" points=\"\((highs + lows.reversed()).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.25\" stroke=\"none\"/>")
            svg.add("<polyline class=\"series\" points=\"\(means.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.2\"/>")
            svg.text("\(values.count) steps in \(binCount) bins: band = min…max of each bin, line = mean", x: right, y: top - 4, size: 11, anchor: .end, fill: "#555555")
        }
    }

    /// The steps an axis of `steps` steps marks: step 1, then whole round numbers (every step of
    /// a run of at most 10; the round ticks below 1 or between steps would repeat 1 or mark
    /// half steps).
    static func stepTicks(steps: Int) -> [Int] {
        guard steps > 10 else { return Array(1...max(1, steps)) }
        let round = SVGDocument.ticks(upTo: Double(steps), count: 10).filter { $0 > 1 && $0 <= Double(steps) }.map { Int($0) }
        return [1] + round
    }

    /// The shared horizontal axis: timesteps 1…steps between `left` and `right`.
    static func stepAxis(_ svg: inout SVGDocument, steps: Int, left: Double, right: Double, y: Double) {
        let count = max(1, steps)
        svg.line(x1: left, y1: y, x2: right, y2: y, stroke: "#888888")
        for step in stepTicks(steps: count) {
            let x = left + (right - left) * (Double(step) - 0.5) / Double(count)
            svg.line(x1: x, y1: y, x2: x, y2: y + 5, stroke: "#888888")
            svg.text(String(step), x: x, y: y + 18, size: 11, anchor: .middle, fill: "#333333")
        }
        svg.text("timestep", x: (left + right) / 2, y: y + 34, size: 12, anchor: .middle, fill: "#333333")
    }

    /// A display unit for energies up to `maximum` femtojoules: (femtojoules per unit, unit).
    static func energyUnit(_ maximum: Int64) -> (Double, String) {
        for (scale, unit) in RunSummary.energyUnits where RunSummary.printsAtLeastOne(Double(maximum), in: scale, decimals: 3) {
            return (scale, unit)
        }
        return (1, "fJ")
    }

    /// "2nd", "3rd", "4th", "16th".
    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }
}
