/// How the chip's membrane voltages of one imported population read in the NIR model's own
/// voltage units: neuron i's `v_NIR = rest[i] + v_chip / chipUnitsPerNIRUnit[i]`.
///
/// Each neuron is normalised to `x = (v − v_leak) / (v_threshold − v_leak)` and the chip holds
/// `v_chip = x · scale · 64` (`NIRNeuronConversion`, `Quantizer.neurons`), so a neuron's chip
/// units per NIR unit are `scale · 64 / (v_threshold − v_leak)`: per neuron, as neurons of one
/// node may have different thresholds. LI and CubaLI readouts have a span of 1.
public struct NIRVoltageUnits: Sendable, Equatable {
    /// `v_leak` per neuron (0 for IF and Threshold nodes), in NIR voltage units.
    public var rest: [Double]
    /// Chip v units per NIR voltage unit, per neuron.
    public var chipUnitsPerNIRUnit: [Double]

    /// Units of neurons whose rest is `rest[i]` and whose chip units per NIR unit are
    /// `chipUnitsPerNIRUnit[i]`.
    public init(rest: [Double], chipUnitsPerNIRUnit: [Double]) {
        self.rest = rest
        self.chipUnitsPerNIRUnit = chipUnitsPerNIRUnit
    }

    /// Chip voltages (`last_v`, `mean_v`), one per neuron, in NIR voltage units.
    public func voltages(_ chip: [Int64]) -> [Double] {
        chip.indices.map { rest[$0] + Double(chip[$0]) / chipUnitsPerNIRUnit[$0] }
    }

    /// `voltages(chip)` as text, each with the decimals one chip unit needs (the fewest, up to
    /// 12, for which 10^-decimals ≤ 1 / chipUnitsPerNIRUnit): 1 chip unit at 64 per NIR unit
    /// above a rest of 0 is "0.02", at 200 per NIR unit "0.005".
    public func text(_ chip: [Int64]) -> [String] {
        zip(voltages(chip), chipUnitsPerNIRUnit).map { voltage, perUnit in
            var decimals = 0
            var resolution = 1.0
            while resolution < perUnit && decimals < 12 {
                resolution *= 10
                decimals += 1
            }
            return RunSummary.fixed(voltage, decimals)
        }
    }
}
