package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/revision"
)

// WithOptions passes further options to the Migrator of every command,
// after those the flags and strata.toml give: Go migrations given
// explicitly (strata.WithMigrations with strata.WithoutGlobalRegistry),
// a version table name, settings for Go migrations (strata.WithX).
func WithOptions(opts ...strata.Option) Option {
	return func(o *options) { o.extra = append(o.extra, opts...) }
}

// parityOptions are the Migrator options of the settings Alembic users
// expect: -x key=value for Go migrations, version_paths of strata.toml.
func (f *flags) parityOptions() ([]strata.Option, error) {
	var opts []strata.Option
	if len(f.xargs) > 0 {
		x := map[string]string{}
		for _, kv := range f.xargs {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return nil, &UsageError{Err: fmt.Errorf("-x %q: want key=value", kv)}
			}
			x[k] = v
		}
		opts = append(opts, strata.WithX(x))
	}
	cfg, err := f.loadConfig()
	if err != nil {
		return nil, err
	}
	if len(cfg.VersionPaths) > 0 {
		opts = append(opts, strata.WithVersionPaths(cfg.VersionPaths...))
	}
	return opts, nil
}

// specFlags gives cmd (revision, migrate) the flags that place and name
// the new revision.
func specFlags(cmd *cobra.Command, spec *strata.RevisionSpec) {
	fl := cmd.Flags()
	fl.StringVar(&spec.ID, "rev-id", "", "the new revision's id instead of the UTC timestamp (letters, digits, _)")
	fl.StringVar(&spec.Head, "head", "", "the revision to build on: a head, label@head, or base for a new root (default: the single head)")
	fl.BoolVar(&spec.Splice, "splice", false, "allow --head to name a revision that is not a head, starting a branch there")
	fl.StringArrayVar(&spec.BranchLabels, "branch-label", nil, "a label for the branch the revision starts, for targets such as LABEL@head (repeatable)")
	fl.StringArrayVar(&spec.DependsOn, "depends-on", nil, "a revision that must be applied before this one without being its parent (repeatable)")
	fl.StringVar(&spec.VersionPath, "version-path", "", "write the revision into this directory: the migrations directory or one of version_paths in strata.toml")
}

// revisionPath is where a new revision was written, for "Generated …".
func revisionPath(rev *revision.Revision) string {
	if rev.Dir == "" {
		return rev.Path
	}
	return strings.TrimSuffix(rev.Dir, "/") + "/" + rev.Path
}

// writeVerbose prints r with every detail, as heads -v, branches -v and
// show print it.
func writeVerbose(w io.Writer, g *revision.Graph, r *revision.Revision, marks ...string) {
	mark := ""
	if len(marks) > 0 {
		mark = " (" + strings.Join(marks, ", ") + ")"
	}
	fmt.Fprintf(w, "Rev: %s%s\n", r.ID, mark)
	parents := strings.Join(r.Parents, ", ")
	if parents == "" {
		parents = "<base>"
	}
	fmt.Fprintf(w, "Parent: %s\n", parents)
	if kids := g.Children(r.ID); len(kids) > 1 {
		fmt.Fprintf(w, "Branches into: %s\n", strings.Join(kids, ", "))
	}
	if len(r.BranchLabels) > 0 {
		fmt.Fprintf(w, "Branch names: %s\n", strings.Join(r.BranchLabels, ", "))
	}
	if len(r.DependsOn) > 0 {
		fmt.Fprintf(w, "Depends on: %s\n", strings.Join(r.DependsOn, ", "))
	}
	switch {
	case r.IsGo():
		fmt.Fprintln(w, "Path: Go migration (compiled in)")
	default:
		fmt.Fprintf(w, "Path: %s\n", revisionPath(r))
	}
	if t, ok := revision.Created(r); ok {
		fmt.Fprintf(w, "Created: %s\n", t.Format("2006-01-02 15:04:05 UTC"))
	}
	fmt.Fprintf(w, "\n    %s\n\n", r.Message)
}

// headMarks are the marks heads -v prints beside a head.
func headMarks(g *revision.Graph, r *revision.Revision) []string {
	marks := []string{"head"}
	if len(g.Children(r.ID)) > 1 {
		marks = append(marks, "branchpoint")
	}
	return marks
}

func editCmd(f *flags, o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "edit [REV]",
		Short: "Open a revision's file in $VISUAL or $EDITOR (default: the head)",
		Long: "Open the file of a revision (an id or prefix, head, current, a branch label or label@head; default\n" +
			"head) in the editor $VISUAL names, else $EDITOR, else vi when run at a terminal.",
		Args: cobra.MaximumNArgs(1),
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			ref := "head"
			if len(args) == 1 {
				ref = args[0]
			}
			revs, err := m.Find(cmd.Context(), ref)
			if err != nil {
				return err
			}
			if len(revs) != 1 {
				ids := make([]string, len(revs))
				for i, r := range revs {
					ids[i] = r.ID
				}
				if len(ids) == 0 {
					return fmt.Errorf("edit %s: no revision (the database is at base)", ref)
				}
				return fmt.Errorf("edit %s: names %d revisions (%s); name one", ref, len(ids), strings.Join(ids, ", "))
			}
			path, err := m.RevisionFile(revs[0])
			if err != nil {
				return err
			}
			return openEditor(cmd, path)
		}),
	}
}

// openEditor runs the user's editor on path, attached to the command's
// input and output. $VISUAL and $EDITOR may hold arguments ("code
// --wait"), so they are run by the shell, as git runs them.
func openEditor(cmd *cobra.Command, path string) error {
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		if _, ok := terminal(cmd); !ok {
			return errors.New("edit: no editor: set $EDITOR (or $VISUAL), such as EDITOR=vi; without a terminal strata does not start one")
		}
		editor = "vi"
	}
	c := exec.CommandContext(cmd.Context(), "sh", "-c", editor+` "$@"`, editor, path)
	c.Stdin, c.Stdout, c.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	if err := c.Run(); err != nil {
		return fmt.Errorf("edit: %s %s: %w", editor, path, err)
	}
	return nil
}
