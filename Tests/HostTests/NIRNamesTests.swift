import Testing
@testable import Host

/// Names a NIR import makes follow the network file's name rule, are unique among projections
/// and are the same in every run.
@Suite struct NIRNamesTests {
    @Test func charactersOutsideTheRuleBecomeUnderscoresAndDigitsGetOneInFront() {
        #expect(NIRNames.sanitized("2nd layer") == "_2nd_layer" && NIRNames.sanitized("lif2") == "lif2" && NIRNames.sanitized("") == "_")
        #expect(NIRNames.sanitized("block.lif-1") == "block.lif-1" && NIRNames.sanitized("é/x") == "__x")
    }

    /// A name over 64 characters keeps 55 and ends in `-` and its 32-bit FNV-1a hash, so two
    /// names that share their first 55 characters stay apart.
    @Test func longNamesAreShortenedWithTheirHash() {
        let exact = String(repeating: "a", count: 64)
        #expect(NIRNames.fitted(exact) == exact)
        let long = "encoder_block1_lif_neurons_main_to_decoder_block2_lif_neurons_out1"
        #expect(NIRNames.fitted(long) == "encoder_block1_lif_neurons_main_to_decoder_block2_lif_n-097bbe13")
        let sibling = "encoder_block1_lif_neurons_main_to_decoder_block2_lif_neurons_out2"
        #expect(NIRNames.fitted(sibling).count == 64 && NIRNames.fitted(sibling) != NIRNames.fitted(long))
        let deep = String(repeating: "block.", count: 40) + "lif"
        #expect(NIRNames.name(deep).count == 64 && NetworkFile.nameProblem(NIRNames.name(deep)) == nil)
    }

    @Test func theNetworkIsNamedAfterTheFile() {
        #expect(NIRNames.network(path: "models/mlp.nir") == "mlp")
        #expect(NIRNames.network(path: "model.h5") == "model.h5")
        #expect(NIRNames.network(path: ".nir") == "nir" && NIRNames.network(path: "dir/3 layers.nir") == "_3_layers")
        let long = NIRNames.network(path: "runs/snntorch_mnist_conv3_beta0.9_thr1.0_lr2e-3_epoch50_best_val_and_more.nir")
        #expect(long == "snntorch_mnist_conv3_beta0.9_thr1.0_lr2e-3_epoch50_best-21f13546" && NetworkFile.nameProblem(long) == nil)
    }

    /// `SOURCE_to_TARGET`, with `-2`, `-3`, … for the second and later projections that would
    /// have a name already given.
    @Test func projectionNamesAreUnique() {
        var names = NIRNames.Projections()
        #expect(names.name(from: "a_to", to: "b") == "a_to_to_b")
        #expect(names.name(from: "a", to: "to_b") == "a_to_to_b-2")
        #expect(names.name(from: "a_to_to", to: "b") == "a_to_to_to_b")
        #expect(names.name(from: "a_to", to: "to_b") == "a_to_to_to_b-2")
        #expect(names.name(from: "a", to: "to_to_b") == "a_to_to_to_b-3")
        // A base name already 64 long gets its counter and is shortened again.
        let source = String(repeating: "s", count: 30), target = String(repeating: "t", count: 30)
        let first = names.name(from: source, to: target)
        let second = names.name(from: source, to: target)
        #expect(first == source + "_to_" + target && second.count == 64 && second != first && NetworkFile.nameProblem(second) == nil)
    }
}
