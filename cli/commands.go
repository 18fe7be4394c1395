package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
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
				database = DefaultDatabase
			}
			if err := strata.Init(".", dir, database); err != nil {
				return err
			}
			fmt.Fprintf(out(cmd), "Created %s/ and %s\n", dir, f.config)
			return nil
		},
	}
}

func migrateCmd(f *flags, o *options) *cobra.Command {
	var message string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Compare the models with the database and write the next revision",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := f.open(cmd, o)
			if err != nil {
				return err
			}
			defer m.Close()
			rev, err := m.Autogenerate(cmd.Context(), message)
			if errors.Is(err, strata.ErrNoChanges) {
				fmt.Fprintln(out(cmd), "No changes: the database matches the models; no revision written.")
				return nil
			}
			if err != nil {
				return err
			}
			dir, _ := f.migrationsDir()
			fmt.Fprintf(out(cmd), "Generated %s/%s\n", dir, rev.Path)
			for _, s := range rev.Up {
				fmt.Fprintf(out(cmd), "  %s\n", oneLine(s.SQL))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "what the revision does")
	return cmd
}

func upgradeCmd(f *flags, o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "upgrade [target]",
		Short: "Apply revisions up to target (default head)",
		Long:  "Apply revisions up to target: head (default), heads, a revision id or unique prefix, or +N.",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := "head"
			if len(args) == 1 {
				target = args[0]
			}
			m, err := f.open(cmd, o)
			if err != nil {
				return err
			}
			defer m.Close()
			results, err := m.Upgrade(cmd.Context(), target)
			for _, r := range results {
				fmt.Fprintf(out(cmd), "Upgraded %s in %s\n", describe(r.Revision.ID, r.Revision.Message), r.Duration.Round(100_000))
			}
			if err != nil {
				return err
			}
			if len(results) == 0 {
				fmt.Fprintln(out(cmd), "Nothing to upgrade: the database is at", target)
			}
			return nil
		},
	}
}

func downgradeCmd(f *flags, o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "downgrade [target]",
		Short: "Undo revisions down to target (default -1)",
		Long:  "Undo revisions down to target: -N (default -1), a revision id or unique prefix, or base.",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := "-1"
			if len(args) == 1 {
				target = args[0]
			}
			m, err := f.open(cmd, o)
			if err != nil {
				return err
			}
			defer m.Close()
			results, err := m.Downgrade(cmd.Context(), target)
			for _, r := range results {
				fmt.Fprintf(out(cmd), "Downgraded %s in %s\n", describe(r.Revision.ID, r.Revision.Message), r.Duration.Round(100_000))
			}
			if err != nil {
				return err
			}
			if len(results) == 0 {
				fmt.Fprintln(out(cmd), "Nothing to downgrade.")
			}
			return nil
		},
	}
}

func currentCmd(f *flags, o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "current",
		Short: "Show the revision(s) the database is at",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := f.open(cmd, o)
			if err != nil {
				return err
			}
			defer m.Close()
			st, err := m.Status(cmd.Context())
			if err != nil {
				return err
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
			}
			if n := len(st.Pending); n > 0 {
				fmt.Fprintf(out(cmd), "%d revision(s) pending; run upgrade\n", n)
			}
			return nil
		},
	}
}

func historyCmd(f *flags, o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "history",
		Short: "List the revisions, newest first, with what is applied",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := f.open(cmd, o)
			if err != nil {
				return err
			}
			defer m.Close()
			st, err := m.Status(cmd.Context())
			if err != nil {
				return err
			}
			g, err := m.Revisions()
			if err != nil {
				return err
			}
			applied := map[string]bool{}
			for _, a := range st.Applied {
				applied[a.Revision] = true
			}
			revs := g.Revisions()
			for i := len(revs) - 1; i >= 0; i-- {
				r := revs[i]
				parents := strings.Join(r.Parents, ", ")
				if parents == "" {
					parents = "<base>"
				}
				var marks []string
				if slices.Contains(st.Heads, r.ID) {
					marks = append(marks, "head")
				}
				if slices.ContainsFunc(st.Current, func(c *strata.Revision) bool { return c.ID == r.ID }) {
					marks = append(marks, "current")
				}
				state := "pending"
				if applied[r.ID] {
					state = "applied"
				}
				mark := ""
				if len(marks) > 0 {
					mark = " (" + strings.Join(marks, ", ") + ")"
				}
				fmt.Fprintf(out(cmd), "%s -> %s%s [%s], %s\n", parents, r.ID, mark, state, r.Message)
			}
			return nil
		},
	}
}

func headsCmd(f *flags, o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "heads",
		Short: "Show the newest revision of each branch",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := f.open(cmd, o)
			if err != nil {
				return err
			}
			defer m.Close()
			g, err := m.Revisions()
			if err != nil {
				return err
			}
			for _, id := range g.Heads() {
				r, _ := g.Get(id)
				fmt.Fprintln(out(cmd), describe(r.ID, r.Message))
			}
			return nil
		},
	}
}

func checkCmd(f *flags, o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Exit 1 when the database differs from the models",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := f.open(cmd, o)
			if err != nil {
				return err
			}
			defer m.Close()
			err = m.Check(cmd.Context())
			var de *strata.DiffError
			if errors.As(err, &de) {
				fmt.Fprintln(out(cmd), de.Error())
				return &ExitError{Code: 1, Err: errors.New("check: the database differs from the models")}
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(out(cmd), "No differences: the database matches the models.")
			return nil
		},
	}
}
