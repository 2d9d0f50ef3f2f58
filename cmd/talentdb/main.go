// Command talentdb is the talent-tracking database service of the provincial youth
// science-education office: the HTTP server, migrations, imports, reports and the demo
// data generator, as subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"talentdb/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
