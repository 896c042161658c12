import Foundation
import Host

// Signals are handled from the start, not from the first output file: a write to a closed pipe
// is then reported (exit 74 for standard output) whether or not an output is being written.
TemporaryFiles.installSignalHandling()
// A signal that ends the run leaves the terminal's line clean and the lines printed so far in
// their file or pipe (standard output is buffered when it is not a terminal).
TemporaryFiles.setBeforeEnding {
    ProgressReporter.clearLine()
    fflush(nil)  // every output stream: standard output is the one with lines in it
}
exit(CommandLineTool.main(Array(CommandLine.arguments.dropFirst())))
