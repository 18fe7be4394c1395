package cli

import (
	"fmt"
	"path"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
)

// compared are the commands that compare the database's schema with the
// models, and so take --include and --exclude.
var compared = []string{"migrate", "check", "inspect", "test"}

// filterFlags gives the commands that compare schemas the repeatable
// --include and --exclude flags.
func (f *flags) filterFlags(root *cobra.Command) {
	for _, c := range root.Commands() {
		for _, name := range compared {
			if c.Name() == name {
				c.Flags().StringArrayVar(&f.include, "include", nil,
					"compare only tables (views, enum types, functions) whose names match this glob; repeatable; on PostgreSQL schema.name matches too (default: strata.toml's include)")
				c.Flags().StringArrayVar(&f.exclude, "exclude", nil,
					"leave out of the comparison tables (views, enum types, functions) whose names match this glob: neither reported nor dropped; repeatable (default: strata.toml's exclude)")
			}
		}
	}
}

// filterOptions returns the include and exclude patterns as options:
// each flag, when given, in place of strata.toml's list of the same
// name. A malformed pattern is an error that names it and where it was
// written.
func (f *flags) filterOptions(cmd *cobra.Command) ([]strata.Option, error) {
	cfg, err := f.loadConfig()
	if err != nil {
		return nil, err
	}
	var opts []strata.Option
	for _, l := range []struct {
		name       string
		flag, conf []string
		option     func(...string) strata.Option
	}{
		{"include", f.include, cfg.Include, strata.WithInclude},
		{"exclude", f.exclude, cfg.Exclude, strata.WithExclude},
	} {
		patterns, where := l.conf, fmt.Sprintf("%s: %s", f.config, l.name)
		if fl := cmd.Flags().Lookup(l.name); fl != nil && fl.Changed {
			patterns, where = l.flag, "--"+l.name
		}
		for _, p := range patterns {
			if _, err := path.Match(p, ""); err != nil || p == "" {
				return nil, fmt.Errorf("%s: malformed pattern %q: want a glob such as river_* (*, ?, [a-z], \\ escapes)", where, p)
			}
		}
		if len(patterns) > 0 {
			opts = append(opts, l.option(patterns...))
		}
	}
	return opts, nil
}
