package cli

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/revision"
)

// Shell completion reads the migrations directory only: pressing Tab must
// never connect to a database, nor fail loudly. Revision ids come with
// their messages as descriptions ("id\tmessage", cobra's form).

// targetKind is what a command's argument names.
type targetKind int

const (
	revisionsOnly targetKind = iota // show, repair, revision --parent
	upTargets                       // upgrade
	downTargets                     // downgrade
	stampTargets                    // stamp
	mergeTargets                    // merge
	rangeIDs                        // history --rev-range START:END
)

// addCompletion gives root's commands and flags their dynamic completion.
func addCompletion(root *cobra.Command, f *flags, o *options) {
	args := map[string]targetKind{
		"upgrade": upTargets, "downgrade": downTargets, "stamp": stampTargets,
		"show": revisionsOnly, "repair": revisionsOnly, "merge": mergeTargets,
	}
	for _, c := range root.Commands() {
		if kind, ok := args[c.Name()]; ok {
			c.ValidArgsFunction = f.completeTargets(o, kind)
		} else if c.ValidArgsFunction == nil && c.Args != nil && c.Runnable() {
			// Commands without arguments complete none (not file names).
			c.ValidArgsFunction = cobra.NoFileCompletions
		}
		switch c.Name() {
		case "migrate":
			fixed(c, "format", "sql\ta SQL file of this database's statements", "go\ta Go migration of op calls, for every database")
			c.RegisterFlagCompletionFunc("schema", fileExt("sql"))
		case "inspect":
			fixed(c, "format", "sql\tCREATE statements", "json\tthe schema as JSON")
		case "revision":
			c.RegisterFlagCompletionFunc("parent", f.completeTargets(o, revisionsOnly))
		case "history":
			c.RegisterFlagCompletionFunc("rev-range", f.completeTargets(o, rangeIDs))
		}
	}
	root.RegisterFlagCompletionFunc("dir", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	root.RegisterFlagCompletionFunc("config", fileExt("toml"))
	root.RegisterFlagCompletionFunc("database", cobra.NoFileCompletions)
}

// fixed completes flag name of c with the given values.
func fixed(c *cobra.Command, name string, values ...string) {
	if c.Flags().Lookup(name) == nil {
		return
	}
	c.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return withPrefix(values, toComplete), cobra.ShellCompDirectiveNoFileComp
	})
}

func fileExt(ext string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{ext}, cobra.ShellCompDirectiveFilterFileExt
	}
}

// withPrefix keeps the candidates ("value\tdescription") whose value
// starts with toComplete.
func withPrefix(candidates []string, toComplete string) []string {
	var out []string
	for _, c := range candidates {
		if strings.HasPrefix(c, toComplete) {
			out = append(out, c)
		}
	}
	return out
}

// completeTargets completes revision ids and the targets kind allows,
// read from the migrations directory that --dir or strata.toml names.
func (f *flags) completeTargets(o *options, kind targetKind) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		none := cobra.ShellCompDirectiveNoFileComp
		if cmd.DisableFlagParsing {
			// downgrade parses its own flags (acceptRelativeTargets), so
			// cobra hands them over with the arguments: --dir counts.
			cmd.DisableFlagParsing = false
			err := cmd.ParseFlags(moveRelativeTargets(cmd, args))
			cmd.DisableFlagParsing = true
			if err != nil {
				return nil, none
			}
			args = cmd.Flags().Args()
		}
		if len(args) > 0 && (kind == upTargets || kind == downTargets || kind == stampTargets) {
			return nil, none // one target
		}
		g, err := f.readRevisions(o)
		if err != nil {
			cobra.CompDebugln("strata: "+err.Error(), true)
			return nil, none
		}
		// upgrade --sql and downgrade --sql take FROM:TO, history
		// --rev-range START:END; each side completes.
		prefix := ""
		if kind == upTargets || kind == downTargets || kind == rangeIDs {
			if i := strings.LastIndex(toComplete, ":"); i >= 0 {
				prefix, toComplete = toComplete[:i+1], toComplete[i+1:]
			}
		}
		var out []string
		switch kind {
		case upTargets:
			out = append(out, "head\tthe head (the only one)", "heads\tevery branch's head", "+1\tthe next revision")
		case downTargets:
			out = append(out, "-1\tundo the last revision", "base\tundo every revision")
		case stampTargets:
			out = append(out, "head\tthe head (the only one)", "heads\tevery branch's head", "base\tno revision")
		case mergeTargets:
			if len(args) == 0 {
				out = append(out, "heads\tevery head")
			}
		}
		heads := g.Heads()
		if kind == upTargets || kind == downTargets || kind == stampTargets {
			var labels []string
			for _, r := range g.Revisions() {
				labels = append(labels, r.BranchLabels...)
			}
			slices.Sort(labels)
			for _, l := range slices.Compact(labels) {
				out = append(out, l+"@head\tthe head of branch "+l)
			}
		}
		revs := g.Revisions()
		// Newest first: the one a person most likely wants.
		slices.SortStableFunc(revs, func(a, b *revision.Revision) int { return strings.Compare(b.ID, a.ID) })
		for _, r := range revs {
			isHead := slices.Contains(heads, r.ID)
			if kind == mergeTargets && (!isHead || slices.Contains(args, r.ID)) {
				continue // merge joins heads, each once
			}
			out = append(out, r.ID+"\t"+describeForCompletion(r, isHead))
		}
		out = withPrefix(out, toComplete)
		for i := range out {
			out[i] = prefix + out[i]
		}
		return out, none
	}
}

// describeForCompletion is the description a shell shows beside a
// revision id: its message, and whether it is a head or written in Go.
func describeForCompletion(r *revision.Revision, head bool) string {
	d := oneLine(r.Message)
	var marks []string
	if head {
		marks = append(marks, "head")
	}
	if r.IsGo() {
		marks = append(marks, "Go")
	}
	if len(marks) > 0 {
		if d != "" {
			d += " "
		}
		d += "(" + strings.Join(marks, ", ") + ")"
	}
	if d == "" {
		d = "revision"
	}
	return d
}

// readRevisions reads the revisions as the commands would, without a
// database: the directory on disk, else the compiled-in revisions; Go
// revisions the binary lacks are read from their source, since nothing
// runs.
func (f *flags) readRevisions(o *options) (*revision.Graph, error) {
	dir, err := f.migrationsDir()
	if err != nil {
		return nil, err
	}
	// version_paths too, as open reads them: a revision there, or one
	// whose parent is there, completes like any other.
	more, err := f.parityOptions()
	if err != nil {
		return nil, err
	}
	opts := append(dirOptions(o, dir), strata.WithGoFromSource())
	return strata.ReadRevisions(append(opts, more...)...)
}

// dirOptions are the options that read the revisions of dir: the
// directory on disk, else the revisions compiled into the application.
// The compiled-in revisions serve only where the directory does not
// exist; a dangling symbolic link or a file in its place is reported.
func dirOptions(o *options, dir string) []strata.Option {
	opts := []strata.Option{strata.WithDir(dir)}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) && o.fsys != nil {
		opts = append(opts, strata.WithFS(o.fsys))
	}
	return opts
}
