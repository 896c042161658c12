import Testing

/// What an exit test's process wrote to standard error (a precondition's message), or "" when
/// the test did not run.
func standardError(of result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}
