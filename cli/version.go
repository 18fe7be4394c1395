package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
)

// addVersion gives root a version command and a --version flag, both
// printing strata's version from the binary's build information: the
// module version and VCS revision of a standalone build, or the version
// of strata inside the application that mounts it.
func addVersion(root *cobra.Command) {
	info, _ := strata.ReadBuildInfo()
	root.Version = info.String()
	// cobra's default prints "NAME version VERSION"; the line already
	// names strata (and the application, when mounted).
	root.SetVersionTemplate("{{.Version}}\n")
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print strata's version",
		Long: "Print strata's module version, the VCS revision it was built from (for a build of strata itself), the\n" +
			"application that mounts it, and the Go version.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON {
				return writeJSON(cmd, info)
			}
			_, err := fmt.Fprintln(out(cmd), info)
			return err
		},
	}
	jsonFlag(cmd, &asJSON)
	root.AddCommand(cmd)
}
