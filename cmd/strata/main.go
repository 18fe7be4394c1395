// Command strata runs schema migrations from the shell: upgrade,
// downgrade, current, history and the rest, on SQL revision files. It
// reads the Go revisions of the directory from their source, so that the
// graph is whole, but cannot run them.
// Applications with Go models mount the same commands instead (see
// package cli), so that migrate can compare the models with the database.
package main

import (
	"context"
	"os"

	"github.com/strata-go/strata/cli"
)

func main() {
	// Execute handles the signals (the first Ctrl-C stops the run at the
	// statement in flight and rolls the revision back where it can, then
	// exits 130; a second one exits at once) and the exit codes: 0, 1 for
	// a failure, 2 for a command line that does not parse.
	os.Exit(cli.Execute(context.Background(), cli.New(cli.Standalone())))
}
