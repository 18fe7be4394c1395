package cli

// Standalone marks the commands as the standalone strata binary's, which
// never holds an application's Go revisions: it reads them from their
// source (strata.WithGoFromSource), so that heads, history, current,
// revision and merge see every revision of the directory, and a run that
// would need one stops naming its file and line. A mounted application
// leaves it out, and is told to rebuild when its binary lacks a Go
// revision of the directory on disk.
func Standalone() Option { return func(o *options) { o.standalone = true } }
