// Command strata runs schema migrations from the shell: upgrade,
// downgrade, current, history and the rest, on SQL revision files.
// Applications with Go models mount the same commands instead (see
// package cli), so that migrate can compare the models with the database.
package main

import (
	"context"
	"os"

	"github.com/strata-go/strata/cli"
)

func main() {
	// The first Ctrl-C (or SIGTERM) cancels the run, which stops at the
	// statement in flight (or after it, on SQLite) and rolls the revision
	// back where it can, then exits 130 (143); a second one exits at once.
	ctx, stop := cli.NotifyContext(context.Background())
	code := cli.Execute(ctx, cli.New())
	stop()
	os.Exit(code)
}
