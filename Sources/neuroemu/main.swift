import Foundation
import Host

// Signals are handled from the start, not from the first output file: a write to a closed pipe
// is then reported (exit 74 for standard output) whether or not an output is being written.
TemporaryFiles.installSignalHandling()
exit(CommandLineTool.main(Array(CommandLine.arguments.dropFirst())))
