package cli

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/lint"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
)

func initCmd(f *flags) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "Create the migrations directory and strata.toml",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := f.migrationsDir()
			if err != nil {
				return err
			}
			database := f.database
			if database == "" {
				database = os.Getenv("DATABASE_URL")
			}
			if database == "" {
				database = DefaultDatabase
			}
			if err := strata.Init(".", dir, database); err != nil {
				return err
			}
			f.cfg = nil // written just now
			fmt.Fprintf(out(cmd), "Created %s/ and %s for %s\n", dir, f.config, strata.Redact(database))
			if _, hadPassword := strata.ConfigDatabase(database); hadPassword {
				fmt.Fprintf(out(cmd), "%s names the password as ${%s}, not its value; before running %s:\n"+
					"  export %s='your password'   (or set DATABASE_URL to the whole URL)\n",
					f.config, strata.PasswordVariable, cmd.Parent().CommandPath(), strata.PasswordVariable)
			}
			return nil
		},
	}
}

func migrateCmd(f *flags, o *options) *cobra.Command {
	var message string
	var spec strata.RevisionSpec
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Compare the models with the database and write the next revision",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := f.open(cmd, o)
			if err != nil {
				return err
			}
			defer func() { m.Close() }()
			plan, err := m.Diff(cmd.Context())
			if err != nil {
				return err
			}
			// A dropped and an added column of one type may be a rename: ask a
			// person; without one, the DATA LOSS warning below says it loudly.
			if in, ok := terminal(cmd); ok && len(plan.RenameCandidates) > 0 {
				asked := false
				for _, r := range plan.RenameCandidates {
					fmt.Fprintf(cmd.ErrOrStderr(), "Did you rename column %s.%s to %s? [y/N] ", r.Table, r.From, r.To)
					var answer string
					fmt.Fscanln(in, &answer)
					if answer == "y" || answer == "yes" {
						f.renames = append(f.renames, r.Table+"."+r.From+"="+r.To)
						asked = true
					}
				}
				if asked {
					m.Close()
					if m, err = f.open(cmd, o); err != nil {
						return err
					}
					if plan, err = m.Diff(cmd.Context()); err != nil {
						return err
					}
				}
			}
			for _, w := range plan.Warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), "Warning:", w)
			}
			for _, note := range plan.Unmanaged {
				fmt.Fprintln(cmd.ErrOrStderr(), "Warning:", note)
			}
			for _, r := range plan.RenameCandidates {
				fmt.Fprintln(cmd.ErrOrStderr(), "Warning:", renameWarning(r))
			}
			rev, err := m.WriteRevisionWith(cmd.Context(), message, plan, spec)
			if wantJSON(cmd) {
				return migrateResultJSON(cmd, f, m, rev, plan, err)
			}
			if errors.Is(err, strata.ErrNoChanges) && len(plan.Unmanaged) > 0 {
				fmt.Fprintf(out(cmd), "No changes in what strata manages; no revision written. %d object(s) strata does not manage were not compared (see the warnings).\n",
					len(plan.Unmanaged))
				return nil
			}
			if errors.Is(err, strata.ErrNoChanges) {
				fmt.Fprintln(out(cmd), "No changes: the database matches the models; no revision written.")
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(out(cmd), "Generated %s\n", revisionPath(rev))
			paint := colourFor(cmd, out(cmd))
			for _, s := range rev.Up {
				fmt.Fprintf(out(cmd), "  %s\n", paint.change(oneLine(s.SQL)))
			}
			paint = colourFor(cmd, cmd.ErrOrStderr())
			for _, finding := range m.LintRevision(rev, plan.Current) {
				fmt.Fprintln(cmd.ErrOrStderr(), "Lint:", paint.finding(finding))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "what the revision does")
	cmd.Flags().StringVar(&f.schemaFile, "schema", "", "take the desired schema from this SQL file instead of the models")
	cmd.Flags().StringVar(&f.format, "format", "", "write the revision as sql or go (default: strata.toml's format, then sql)")
	f.devURLFlag(cmd, "that --schema needs")
	cmd.Flags().StringArrayVar(&f.renames, "rename", nil, "TABLE.OLD=NEW: column OLD was renamed to NEW (repeatable)")
	cmd.Flags().StringArrayVar(&f.renameTables, "rename-table", nil, "OLD=NEW: table OLD was renamed to NEW (repeatable)")
	specFlags(cmd, &spec)
	return cmd
}

// move describes upgrade or downgrade, which share their shape.
type move struct {
	dir                 runner.Direction
	use, short, long    string
	target              string // the default
	sqlHelp, done, none string
	lint                bool // lint the pending revisions first
	offline             func(m *strata.Migrator, cmd *cobra.Command, target string) error
	run                 func(m *strata.Migrator, cmd *cobra.Command, target string) ([]strata.Result, error)
}

func upgradeCmd(f *flags, o *options) *cobra.Command {
	return moveCmd(f, o, move{
		dir: runner.Up, use: "upgrade [target]", target: "head",
		short: "Apply revisions up to target (default head)",
		long: "Apply revisions up to target: head (default), heads, a revision id or unique prefix, a branch label,\n" +
			"label@head, REV+N, or +N. With --sql, print the SQL for [FROM:]TO instead of running it.",
		sqlHelp: "print the SQL instead of running it (offline mode); target may be FROM:TO",
		done:    "Upgraded", none: "Nothing to upgrade: the database is at the target.", lint: true,
		offline: func(m *strata.Migrator, cmd *cobra.Command, target string) error {
			from, to, ok := strings.Cut(target, ":")
			if !ok {
				from, to = "", target
			}
			return m.UpgradeSQL(cmd.Context(), out(cmd), from, to)
		},
		run: func(m *strata.Migrator, cmd *cobra.Command, target string) ([]strata.Result, error) {
			return m.Upgrade(cmd.Context(), target)
		},
	})
}

func downgradeCmd(f *flags, o *options) *cobra.Command {
	cmd := moveCmd(f, o, move{
		dir: runner.Down, use: "downgrade [target]", target: "-1",
		short: "Undo revisions down to target (default -1)",
		long: "Undo revisions down to target: -N (default -1), a revision id or unique prefix, REV-N, or base.\n" +
			"With --sql, print the SQL for TO:FROM (such as base:head) instead of running it.",
		sqlHelp: "print the SQL instead of running it (offline mode); target is TO:FROM",
		done:    "Downgraded", none: "Nothing to downgrade.",
		offline: func(m *strata.Migrator, cmd *cobra.Command, target string) error {
			to, from, ok := strings.Cut(target, ":")
			if !ok {
				return fmt.Errorf("downgrade --sql needs TO:FROM, such as base:head")
			}
			return m.DowngradeSQL(cmd.Context(), out(cmd), from, to)
		},
		run: func(m *strata.Migrator, cmd *cobra.Command, target string) ([]strata.Result, error) {
			return m.Downgrade(cmd.Context(), target)
		},
	})
	acceptRelativeTargets(cmd)
	return cmd
}

func moveCmd(f *flags, o *options, mv move) *cobra.Command {
	var offline, dryRun bool
	cmd := &cobra.Command{
		Use:   mv.use,
		Short: mv.short,
		Long:  mv.long,
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := jsonAlone(cmd, wantJSON(cmd), offline, dryRun); err != nil {
				return err
			}
			target := mv.target
			if len(args) == 1 {
				target = args[0]
			}
			if mv.lint && !offline && !dryRun {
				// Upgrade lints what it is about to apply, under the lock.
				paint := colourFor(cmd, cmd.ErrOrStderr())
				f.lintReport = func(finding lint.Finding) { fmt.Fprintln(cmd.ErrOrStderr(), "Lint:", paint.finding(finding)) }
			}
			// Each revision is printed as it finishes; --json prints the
			// object at the end only.
			var prog *progress
			f.progress = nil
			if !wantJSON(cmd) && !offline && !dryRun {
				prog = newProgress(cmd, mv, f.debug)
				f.progress = prog.event
			}
			m, err := f.open(cmd, o)
			if err != nil {
				return err
			}
			defer func() { m.Close() }()
			if offline {
				return mv.offline(m, cmd, target)
			}
			if dryRun {
				return rehearse(cmd, m, mv.dir, target)
			}
			if prog != nil {
				prog.start()
			}
			results, err := mv.run(m, cmd, target)
			if confirmLoss(cmd, err) {
				m.Close()
				f.force = true
				f.lintReport = nil // reported on the first try
				if m, err = f.open(cmd, o); err != nil {
					return err
				}
				var more []strata.Result
				more, err = mv.run(m, cmd, target)
				results = append(results, more...)
			}
			if wantJSON(cmd) {
				return reportJSON(cmd, moveResultJSON(f, mv.dir, target, results, err), err)
			}
			prog.end(results, err)
			if err != nil {
				return err
			}
			if prog.count == 0 {
				fmt.Fprintln(out(cmd), mv.none)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&offline, "sql", false, mv.sqlHelp)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "rehearse on the real database inside a transaction, then roll back")
	cmd.Flags().BoolVar(&f.force, "force", false, "run even if tables or columns holding data would be dropped")
	cmd.Flags().Int64Var(&f.dryRunLimit, "dry-run-limit", 0, "rows a dry run may copy on MySQL/MariaDB (default 100000; -1 for no limit)")
	f.lockTimeoutFlag(cmd)
	f.devURLFlag(cmd, "where --sql renders Go revisions (and a MySQL --dry-run copies)")
	return cmd
}

func currentCmd(f *flags, o *options) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "current",
		Short: "Show the revision(s) the database is at",
		Args:  cobra.NoArgs,
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			st, err := m.Status(cmd.Context())
			if err != nil {
				return err
			}
			if wantJSON(cmd) {
				return reportJSON(cmd, currentJSON(f, st), nil)
			}
			if len(st.Current) == 0 {
				fmt.Fprintln(out(cmd), "base (no revision applied)")
			}
			for _, r := range st.Current {
				mark := ""
				if slices.Contains(st.Heads, r.ID) {
					mark = " (head)"
				}
				fmt.Fprintf(out(cmd), "%s%s\n", describe(r.ID, r.Message), mark)
				if verbose {
					for _, a := range st.Applied {
						if a.Revision == r.ID {
							fmt.Fprintf(out(cmd), "  file %s, applied %s in %s, checksum %.12s\n", r.Path, a.AppliedAt, a.Duration, a.Checksum)
						}
					}
				}
			}
			for _, p := range st.HalfDone {
				fmt.Fprintf(out(cmd), "%s is half-done: its %s stopped (%s); run %s again to finish it\n",
					p.Revision, p.Direction.Command(), p.Position(), p.Direction.Command())
			}
			if n := len(st.Pending); n > 0 {
				fmt.Fprintf(out(cmd), "%d revision(s) pending; run upgrade\n", n)
			}
			return nil
		}),
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "show file, time applied and checksum")
	return cmd
}

func historyCmd(f *flags, o *options) *cobra.Command {
	var rng string
	var verbose, indicate bool
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the revisions, newest first (with --indicate-current, what is applied)",
		Args:  cobra.NoArgs,
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			g, err := m.Revisions()
			if err != nil {
				return err
			}
			// Only --indicate-current reads the database, as in Alembic:
			// the history itself is the files'.
			st := &strata.State{Heads: g.Heads()}
			if indicate {
				if st, err = m.Status(cmd.Context()); err != nil {
					return err
				}
			}
			revs := g.Revisions()
			if rng != "" {
				lo, hi, _ := strings.Cut(rng, ":")
				if revs, err = historyRange(g, lo, hi); err != nil {
					return err
				}
			}
			// The text and --json print the same entries.
			h := newHistoryJSON(revs, st, indicate)
			if wantJSON(cmd) {
				return reportJSON(cmd, h, nil)
			}
			for _, e := range h.History {
				r := e.Revision
				parents := strings.Join(r.Parents, ", ")
				if parents == "" {
					parents = "<base>"
				}
				var marks []string
				if e.Head {
					marks = append(marks, "head")
				}
				if e.Current != nil && *e.Current {
					marks = append(marks, "current")
				}
				mark := ""
				if len(marks) > 0 {
					mark = " (" + strings.Join(marks, ", ") + ")"
				}
				if e.State != nil {
					state := *e.State
					if p := e.HalfDone; p != nil {
						state = fmt.Sprintf("half-done %s: %s", p.Direction.Command(), p.Position())
					}
					mark += " [" + state + "]"
				}
				fmt.Fprintf(out(cmd), "%s -> %s%s, %s\n", parents, r.ID, mark, r.Message)
				if verbose {
					kind := "file " + revisionPath(r)
					if r.IsGo() {
						kind = "Go migration"
					}
					fmt.Fprintf(out(cmd), "    %s, %d up and %d down statement(s)\n", kind, len(r.Up), len(r.Down))
				}
			}
			return nil
		}),
	}
	cmd.Flags().StringVarP(&rng, "rev-range", "r", "", "only revisions in START:END (either may be empty)")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "show each revision's source")
	cmd.Flags().BoolVarP(&indicate, "indicate-current", "i", false, "read the database and mark each revision applied or pending, and the current one(s)")
	return cmd
}

// historyRange returns the revisions after lo (itself included) up to hi,
// in graph order; an empty bound is open.
func historyRange(g *revision.Graph, lo, hi string) ([]*revision.Revision, error) {
	all := g.Revisions()
	keepHi := map[string]bool{}
	if hi != "" {
		plan, err := g.UpgradePlan(map[string]bool{}, hi)
		if err != nil {
			return nil, err
		}
		for _, r := range plan {
			keepHi[r.ID] = true
		}
	}
	below := map[string]bool{}
	if lo != "" {
		r, err := g.Resolve(lo)
		if err != nil {
			return nil, err
		}
		plan, _ := g.UpgradePlan(map[string]bool{}, r.ID)
		for _, p := range plan {
			if p.ID != r.ID {
				below[p.ID] = true
			}
		}
	}
	var out []*revision.Revision
	for _, r := range all {
		if (hi == "" || keepHi[r.ID]) && !below[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}

func headsCmd(f *flags, o *options) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "heads",
		Short: "Show the newest revision of each branch",
		Args:  cobra.NoArgs,
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			g, err := m.Revisions()
			if err != nil {
				return err
			}
			if wantJSON(cmd) {
				return reportJSON(cmd, newHeadsJSON(g), nil)
			}
			for _, id := range g.Heads() {
				r, _ := g.Get(id)
				if verbose {
					writeVerbose(out(cmd), g, r, headMarks(g, r)...)
					continue
				}
				fmt.Fprintln(out(cmd), describe(r.ID, r.Message))
			}
			return nil
		}),
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "show each head's parents, branch labels, dependencies, file and date")
	return cmd
}

func checkCmd(f *flags, o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Exit 1 when the database differs from the models (or from --schema FILE)",
		Long: "Compare the database with the desired schema: the application's models, or with --schema FILE a SQL\n" +
			"file of CREATE statements (for projects without Go models, e.g. to gate CI on drift). Exit 1, listing\n" +
			"the differences, when they differ.",
		Args: cobra.NoArgs,
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			desired := "the models"
			if f.schemaFile != "" {
				desired = f.schemaFile
			}
			differs := &ExitError{Code: 1, Err: fmt.Errorf("check: the database differs from %s", desired)}
			plan, err := m.CheckPlan(cmd.Context())
			var de *strata.DiffError
			if wantJSON(cmd) && (err == nil || errors.As(err, &de)) {
				if de != nil {
					err = differs
				}
				return reportJSON(cmd, newCheckJSON(de, plan), err)
			}
			if plan != nil {
				for _, note := range plan.Unmanaged {
					fmt.Fprintln(cmd.ErrOrStderr(), "Warning:", note)
				}
			}
			if errors.As(err, &de) {
				fmt.Fprintln(out(cmd), colourFor(cmd, out(cmd)).diff(de.Error()))
				return differs
			}
			if err != nil {
				return err
			}
			if len(plan.Unmanaged) > 0 {
				fmt.Fprintf(out(cmd), "No differences in what strata manages: the database matches %s there; %d object(s) not managed were not compared.\n",
					desired, len(plan.Unmanaged))
				return nil
			}
			fmt.Fprintf(out(cmd), "No differences: the database matches %s.\n", desired)
			return nil
		}),
	}
	cmd.Flags().StringVar(&f.schemaFile, "schema", "", "take the desired schema from this SQL file instead of the models")
	return cmd
}

func revisionCmd(f *flags, o *options) *cobra.Command {
	var message string
	var parents []string
	var goForm bool
	var spec strata.RevisionSpec
	cmd := &cobra.Command{
		Use:   "revision",
		Short: "Write an empty revision (SQL, or Go with --go) after the head, to fill in by hand",
		Args:  cobra.NoArgs,
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			newRevision := m.NewRevision
			if goForm {
				newRevision = m.NewGoRevision
			}
			var rev *strata.Revision
			var err error
			switch {
			case len(parents) > 0 && spec.Head != "":
				return &UsageError{Command: cmd.CommandPath(), Err: errors.New("--parent and --head both name the parent; give one")}
			case len(parents) == 1:
				// An explicit parent may be any revision, as before --head.
				spec.Head, spec.Splice = parents[0], true
				rev, err = m.NewRevisionWith(message, goForm, spec)
			case len(parents) > 1:
				if spec.ID != "" || len(spec.BranchLabels) > 0 || len(spec.DependsOn) > 0 || spec.VersionPath != "" {
					return &UsageError{Command: cmd.CommandPath(), Err: errors.New("several --parent values write a merge, which takes no other option; use merge")}
				}
				rev, err = newRevision(message, parents...)
			default:
				rev, err = m.NewRevisionWith(message, goForm, spec)
			}
			if err != nil {
				return err
			}
			if wantJSON(cmd) {
				return reportJSON(cmd, f.newWrittenJSON(rev), nil)
			}
			fmt.Fprintf(out(cmd), "Generated %s\n", revisionPath(rev))
			return nil
		}),
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "what the revision does")
	cmd.Flags().StringSliceVar(&parents, "parent", nil, "parent revision(s) (default: the head)")
	cmd.Flags().BoolVar(&goForm, "go", false, "write a Go migration (compiled into the application) instead of SQL")
	specFlags(cmd, &spec)
	return cmd
}

func mergeCmd(f *flags, o *options) *cobra.Command {
	var message string
	cmd := &cobra.Command{
		Use:   "merge [heads | REV REV...]",
		Short: "Write a revision that joins heads into one",
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			rev, err := m.Merge(message, args...)
			if err != nil {
				return err
			}
			if wantJSON(cmd) {
				return reportJSON(cmd, f.newWrittenJSON(rev), nil)
			}
			fmt.Fprintf(out(cmd), "Generated %s merging %s\n", revisionPath(rev), strings.Join(rev.Parents, ", "))
			return nil
		}),
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "what the merge does")
	return cmd
}

func branchesCmd(f *flags, o *options) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "branches",
		Short: "Show the revisions where the graph branches",
		Args:  cobra.NoArgs,
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			g, err := m.Revisions()
			if err != nil {
				return err
			}
			if wantJSON(cmd) {
				return reportJSON(cmd, newBranchesJSON(g), nil)
			}
			for _, r := range g.Revisions() {
				if kids := g.Children(r.ID); len(kids) > 1 {
					if verbose {
						writeVerbose(out(cmd), g, r, "branchpoint")
						continue
					}
					fmt.Fprintf(out(cmd), "%s branches into %s\n", describe(r.ID, r.Message), strings.Join(kids, ", "))
				}
			}
			return nil
		}),
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "show each branch point's parents, branch labels, file, date and children")
	return cmd
}

func showCmd(f *flags, o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "show REV",
		Short: "Show a revision: its parents, message and statements (REV may be head, heads, base or current)",
		Args:  cobra.ExactArgs(1),
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			revs, err := m.Find(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if wantJSON(cmd) {
				return reportJSON(cmd, newShowJSON(revs), nil)
			}
			w := out(cmd)
			if len(revs) == 0 {
				fmt.Fprintf(w, "%s: no revision (the database is at base)\n", args[0])
			}
			for i, r := range revs {
				if i > 0 {
					fmt.Fprintln(w)
				}
				fmt.Fprintf(w, "Revision: %s\nParents:  %s\nMessage:  %s\n", r.ID, strings.Join(r.Parents, ", "), r.Message)
				if len(r.BranchLabels) > 0 {
					fmt.Fprintf(w, "Branch:   %s\n", strings.Join(r.BranchLabels, ", "))
				}
				if len(r.DependsOn) > 0 {
					fmt.Fprintf(w, "Depends:  %s\n", strings.Join(r.DependsOn, ", "))
				}
				if r.GoSource != "" {
					fmt.Fprintf(w, "Written in Go (%s); only the application's binary runs it.\n", r.GoSource)
					continue
				}
				if r.IsGo() {
					fmt.Fprintln(w, "Written in Go; `upgrade --sql` prints its statements.")
					continue
				}
				fmt.Fprintf(w, "File:     %s\n\n-- up\n", revisionPath(r))
				for _, s := range r.Up {
					fmt.Fprintf(w, "%s;\n", s.SQL)
				}
				fmt.Fprintln(w, "\n-- down")
				for _, s := range r.Down {
					fmt.Fprintf(w, "%s;\n", s.SQL)
				}
			}
			return nil
		}),
	}
}

func stampCmd(f *flags, o *options) *cobra.Command {
	var purge, offline bool
	cmd := &cobra.Command{
		Use:   "stamp REV",
		Short: "Record the database as being at REV without running anything",
		Args:  cobra.ExactArgs(1),
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			if err := jsonAlone(cmd, wantJSON(cmd), offline, false); err != nil {
				return err
			}
			if offline {
				if purge {
					return &UsageError{Command: cmd.CommandPath(), Err: errors.New("--sql and --purge: the offline script cannot know the rows to purge; give one")}
				}
				from, to, ok := strings.Cut(args[0], ":")
				if !ok {
					from, to = "", args[0]
				}
				return m.StampSQL(cmd.Context(), out(cmd), from, to)
			}
			added, removed, err := m.Stamp(cmd.Context(), args[0], purge)
			if err != nil {
				return err
			}
			if wantJSON(cmd) {
				return reportJSON(cmd, &stampJSON{Target: args[0], Recorded: list(added), Forgot: list(removed)}, nil)
			}
			fmt.Fprintf(out(cmd), "Stamped %s: recorded %d revision(s), forgot %d\n", args[0], len(added), len(removed))
			return nil
		}),
	}
	cmd.Flags().BoolVar(&purge, "purge", false, "empty the version table first, unknown revisions included")
	cmd.Flags().BoolVar(&offline, "sql", false, "print the version table's SQL instead of running it; REV may be FROM:TO")
	f.lockTimeoutFlag(cmd)
	return cmd
}

func repairCmd(f *flags, o *options) *cobra.Command {
	var reset bool
	cmd := &cobra.Command{
		Use:   "repair [REV...]",
		Short: "Accept edits to applied revision files, or reset a half-applied revision",
		Long: "Accept edits to applied revision files by recording their checksums as they are now (every edited\n" +
			"file when no revision is named). With --reset, forget the progress of a revision that stopped\n" +
			"half-way on MySQL/MariaDB, once its applied statements were undone by hand.",
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			changed, err := m.Repair(cmd.Context(), args, reset)
			if err != nil {
				return err
			}
			if wantJSON(cmd) {
				return reportJSON(cmd, &repairJSON{Repaired: list(changed)}, nil)
			}
			if len(changed) == 0 {
				fmt.Fprintln(out(cmd), "Nothing to repair.")
			}
			for _, id := range changed {
				fmt.Fprintf(out(cmd), "Repaired %s\n", id)
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&reset, "reset", false, "forget the recorded progress of the named half-applied revisions")
	f.lockTimeoutFlag(cmd)
	return cmd
}

// rehearse prints a dry run's steps; a failure found is the command's
// error (exit 1), the database unchanged either way.
func rehearse(cmd *cobra.Command, m *strata.Migrator, dir runner.Direction, target string) error {
	reh, err := m.Rehearse(cmd.Context(), dir, target)
	if err != nil {
		return err
	}
	w := out(cmd)
	if !reh.Rehearsed {
		fmt.Fprintln(w, "Not rehearsed:", reh.Reason)
	}
	last := ""
	for _, s := range reh.Steps {
		if s.Revision != nil && s.Revision.ID != last {
			last = s.Revision.ID
			fmt.Fprintf(w, "%s %s\n", dir, describe(s.Revision.ID, s.Revision.Message))
		}
		switch {
		case s.Skipped != "" && s.Statement.SQL == "":
			fmt.Fprintf(w, "  skipped: %s\n", s.Skipped)
		case s.Skipped != "":
			fmt.Fprintf(w, "  %s: %s\n", s.Skipped, oneLine(s.Statement.SQL))
		case s.Err != nil:
			fmt.Fprintf(w, "  FAILED: %s\n    %v\n", oneLine(s.Statement.SQL), s.Err)
		default:
			fmt.Fprintf(w, "  ok, %d row(s): %s\n", s.RowsAffected, oneLine(s.Statement.SQL))
		}
	}
	var lost *runner.DataLossError
	switch {
	case errors.As(reh.Err, &lost):
		return fmt.Errorf("dry run: the data-loss guard would refuse this run; the database is unchanged:\n%w", reh.Err)
	case reh.Err != nil:
		return fmt.Errorf("dry run found a failure; the database is unchanged:\n%w", reh.Err)
	case reh.Rehearsed && reh.Reason != "":
		fmt.Fprintln(w, "Dry run succeeded on a copy of the database, which was dropped; the database is unchanged.")
	case reh.Rehearsed:
		fmt.Fprintln(w, "Dry run succeeded and was rolled back; the database is unchanged.")
	}
	return nil
}

func testCmd(f *flags, o *options) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Prove every revision reversible on a scratch database",
		Long: "On a scratch database (a temporary SQLite file, or a temporary database on the server, dropped\n" +
			"afterwards; or the empty database --dev-url names, emptied again), check a single head; for every\n" +
			"revision from base to head upgrade, downgrade, check the schema is as before, upgrade again; then\n" +
			"check the models match head. Exit 1 names the first revision that breaks. Rows the revisions\n" +
			"insert are the test's own: where the data-loss guard stops a step, a note says so and it runs on.",
		Args: cobra.NoArgs,
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			rep, err := m.Test(cmd.Context())
			w := out(cmd)
			if asJSON {
				return testResultJSON(cmd, rep, err)
			}
			if rep != nil {
				for _, r := range rep.Revisions {
					if r.OK {
						fmt.Fprintf(w, "ok    %s\n", describe(r.Revision, r.Message))
						for _, n := range r.Notes {
							fmt.Fprintf(w, "      note: %s\n", n)
						}
						continue
					}
					fmt.Fprintf(w, "FAIL  %s at %s\n", describe(r.Revision, r.Message), r.Step)
					if r.Error != "" {
						fmt.Fprintf(w, "      %s\n", r.Error)
					}
					for _, d := range r.Differences {
						fmt.Fprintf(w, "      %s\n", d)
					}
				}
				if rep.ModelsMatch != nil && *rep.ModelsMatch {
					fmt.Fprintln(w, "ok    the models match head")
				}
			}
			if errors.Is(err, strata.ErrTestFailed) {
				return &ExitError{Code: 1, Err: err}
			}
			return err
		}),
	}
	jsonFlag(cmd, &asJSON)
	f.devURLFlag(cmd, "for the test")
	return cmd
}

func inspectCmd(f *flags, o *options) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Print the database's schema as strata sees it",
		Long: "Print the database's schema as strata sees it: as SQL (--format sql, the default), which recreates\n" +
			"it in an empty database of the same dialect, or as JSON.",
		Args: cobra.NoArgs,
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			s, err := m.Inspect(cmd.Context())
			if err != nil {
				return err
			}
			for _, u := range s.Unmanaged {
				fmt.Fprintf(cmd.ErrOrStderr(), "Warning: strata does not manage %s: it is not in this schema\n", u)
			}
			return m.WriteInspected(out(cmd), s, format)
		}),
	}
	cmd.Flags().StringVar(&format, "format", "sql", "sql or json")
	cmd.Flags().StringVar(&f.dbSchema, "schema", "", "the PostgreSQL schema to inspect (default: the connection's current schema, public)")
	return cmd
}

func lintCmd(f *flags, o *options) *cobra.Command {
	var all, asJSON bool
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Flag risky changes in the pending revisions (or all, with --all)",
		Long: "Flag changes that are risky on a live database: dropped tables and columns, narrowing types, NOT NULL\n" +
			"without a backfill, renames, and per dialect locking or copying changes. Each rule is described in\n" +
			"docs/lint/RULE.md; a revision silences one with -- strata:lint-ignore RULE reason. Exit 1 when a\n" +
			"finding is not silenced.",
		Args: cobra.NoArgs,
		RunE: f.with(o, func(cmd *cobra.Command, args []string, m *strata.Migrator) error {
			findings, err := m.Lint(cmd.Context(), all)
			if err != nil {
				return err
			}
			w := out(cmd)
			if asJSON {
				return lintResultJSON(cmd, findings)
			}
			paint := colourFor(cmd, w)
			for _, finding := range findings {
				fmt.Fprintln(w, paint.finding(finding))
			}
			if n := len(lint.Active(findings)); n > 0 {
				return &ExitError{Code: 1, Err: fmt.Errorf("lint: %d finding(s)", n)}
			}
			fmt.Fprintln(w, "No lint findings.")
			return nil
		}),
	}
	cmd.Flags().BoolVar(&all, "all", false, "lint every revision, not only the pending ones")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// with runs fn with the Migrator the flags open, and closes it after.
func (f *flags) with(o *options, fn func(cmd *cobra.Command, args []string, m *strata.Migrator) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		m, err := f.open(cmd, o)
		if err != nil {
			return err
		}
		defer m.Close()
		return fn(cmd, args, m)
	}
}
