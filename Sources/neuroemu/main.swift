import Foundation
import Host

exit(CommandLineTool.main(Array(CommandLine.arguments.dropFirst())))
