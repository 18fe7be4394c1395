// Command strata runs schema migrations from the shell: upgrade,
// downgrade, current, history and the rest, on SQL revision files.
// Applications with Go models mount the same commands instead (see
// package cli), so that migrate can compare the models with the database.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/strata-go/strata/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Execute(ctx, cli.New())
	stop()
	os.Exit(code)
}
