// Package cli holds strata's commands as a *cobra.Command, for the strata
// binary and for mounting inside an application the way `flask db` lives
// inside a Flask app:
//
//	root.AddCommand(cli.New(cli.WithName("db"), cli.WithModels(Todo{})))
//	os.Exit(cli.Execute(context.Background(), root))
//
// Every command is a thin call into the strata package. Commands write to
// the command's output and return errors; only Execute turns an error
// into an exit code (0, 1 for a failure, ExitUsage for a command line that
// does not parse, 128 plus the signal's number for an interrupted run),
// and it handles the signals, so it is the one call a program makes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/lint"
	"github.com/strata-go/strata/runner"
)

// DefaultDatabase is the database used when no flag, DATABASE_URL or
// strata.toml names one: an embedded SQLite file.
const DefaultDatabase = "sqlite:app.db"

// Option configures the commands.
type Option func(*options)

type options struct {
	name   string
	models []any
	fsys   fs.FS
	// extra are Migrator options the application passes (WithOptions).
	extra []strata.Option
	// standalone: the strata binary (Standalone).
	standalone bool
}

// WithName sets the command's name, such as "db" when mounted under an
// application (default "strata").
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithModels gives the commands the application's models, which migrate
// and check compare with the database.
func WithModels(models ...any) Option {
	return func(o *options) { o.models = append(o.models, models...) }
}

// WithFS gives the commands the revisions compiled into the application
// (the migrations package's FS). They are used when the migrations
// directory is not on disk, as where the binary is deployed; during
// development the directory on disk wins, so that new revisions are seen.
func WithFS(fsys fs.FS) Option { return func(o *options) { o.fsys = fsys } }

// ExitError carries the exit code a command asks for, such as 1 from
// check when the database differs from the models.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// ExitInterrupted is the exit code of a command stopped by SIGINT
// (Ctrl-C): 128 + 2, what shells report for a process the signal ended.
const ExitInterrupted = 130

// SignalError is the cause (context.Cause) of a context NotifyContext
// ended on a signal.
type SignalError struct{ Signal os.Signal }

func (e *SignalError) Error() string { return "interrupted by signal " + e.Signal.String() }

// ExitCode is 128 plus the signal's number (130 for SIGINT, 143 for
// SIGTERM), ExitInterrupted for a signal without a number.
func (e *SignalError) ExitCode() int {
	if n, ok := e.Signal.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return ExitInterrupted
}

// NotifyContext returns a copy of ctx that ends at the first SIGINT or
// SIGTERM, with a *SignalError as its cause: a run then stops at the
// statement in flight (or after it, where the database cannot interrupt
// one), rolls the revision back where it can, and Execute returns the
// signal's exit code. A second signal exits the process at once. stop
// stops listening.
func NotifyContext(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			cancel(&SignalError{Signal: sig})
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			os.Exit((&SignalError{Signal: sig}).ExitCode())
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(done)
			cancel(context.Canceled)
		})
	}
}

// ExitUsage is the exit code of a command line that does not parse: an
// unknown command or flag, a missing flag value, a wrong number of
// arguments. A command that ran and failed exits 1 (or its ExitError's
// code), one stopped by a signal 128 plus the signal's number.
const ExitUsage = 2

// UsageError is a command line that does not parse; Execute prints it on
// one line with a pointer to the command's --help and exits ExitUsage.
type UsageError struct {
	// Command is the command path the error concerns, such as "myapp db".
	Command string
	Err     error
}

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageError(c *cobra.Command, err error) error {
	var ue *UsageError
	if err == nil || errors.As(err, &ue) {
		return err
	}
	return &UsageError{Command: c.CommandPath(), Err: err}
}

// markUsage makes the flag and argument errors of cmd and every command
// below it UsageErrors and silences cobra's usage text after an error.
func markUsage(cmd *cobra.Command) {
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError(c, err) })
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.SilenceUsage = true
		if args := c.Args; args != nil {
			c.Args = func(c *cobra.Command, a []string) error { return usageError(c, args(c, a)) }
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)
}

// unknownCommand is the RunE of a group of commands: without arguments it
// prints the help; an argument is a command it does not have, a usage
// error (cobra would print the help and exit 0).
func unknownCommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return c.Help()
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return &UsageError{Command: c.CommandPath(), Err: errors.New(msg)}
}

// Execute is the one call a program makes to run strata's commands,
// mounted in its own command tree or standalone:
//
//	os.Exit(cli.Execute(context.Background(), root))
//
// It runs cmd under NotifyContext(ctx), so that the first SIGINT or
// SIGTERM stops a run cleanly (a second one exits at once); prints an
// error once, on one line, never followed by the usage text; and returns
// the process exit code: 0 on success, ExitUsage (2) for a command line
// that does not parse (with a pointer to --help), the signal's code (130
// for Ctrl-C) for an interrupted run, an ExitError's code, else 1.
func Execute(ctx context.Context, cmd *cobra.Command) int {
	ctx, stop := NotifyContext(ctx)
	defer stop()
	cmd.SilenceUsage = true
	cmd.SilenceErrors = true
	markUsage(cmd)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	if ctx.Err() != nil {
		code := ExitInterrupted
		var se *SignalError
		if errors.As(context.Cause(ctx), &se) {
			code = se.ExitCode()
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "Interrupted: %v\n", err)
		return code
	}
	var ue *UsageError
	if !errors.As(err, &ue) && isCobraUsage(err) {
		ue = &UsageError{Command: cmd.CommandPath(), Err: err}
	}
	if ue != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "Error: %s (see '%s --help')\n", oneLine(ue.Err.Error()), ue.Command)
		return ExitUsage
	}
	code := 1
	var ee *ExitError
	if errors.As(err, &ee) {
		code = ee.Code
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "Error: %v\n", err)
	return code
}

// isCobraUsage reports whether err is one of the usage errors cobra makes
// before a command runs (an unknown command of the root, a required flag)
// and that carry no type.
func isCobraUsage(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command ") ||
		strings.HasPrefix(msg, "required flag(s) ") ||
		strings.Contains(msg, "flags in the group")
}

type flags struct {
	database string
	dir      string
	config   string
	debug    bool
	force    bool
	// migrate's sources of the desired schema and renames
	schemaFile   string
	renames      []string
	renameTables []string
	devURL       string
	dryRunLimit  int64
	format       string
	dbSchema     string
	// lintReport, set by upgrade, prints the findings on what it applies.
	lintReport func(lint.Finding)
	// progress, set by upgrade and downgrade, hears of each revision as
	// it starts and finishes (progress.go).
	progress func(strata.ProgressEvent)
	// lockTimeout is --lock-timeout, on the commands that take the lock.
	lockTimeout time.Duration
	// include and exclude are --include and --exclude (filter.go).
	include, exclude []string
	// cfg is strata.toml as loadConfig read it, once per command.
	cfg    *Config
	cfgErr error
	// created is the SQLite file open is about to create, removed again
	// if the command fails and leaves it empty.
	created string
	// xargs are the -x key=value pairs for Go migrations (Op.X).
	xargs []string
}

// announced are the commands that name the database they act on, on
// standard error before they connect (redacted).
var announced = map[string]bool{"upgrade": true, "downgrade": true, "current": true}

// sqliteFile returns the file a sqlite: URL names ("" for another
// database or :memory:).
func sqliteFile(rawURL string) string {
	rest, ok := strings.CutPrefix(rawURL, "sqlite:")
	if !ok {
		return ""
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(rest, "//"), "?")
	if path == ":memory:" || strings.HasPrefix(path, "file::memory:") {
		return ""
	}
	return strings.TrimPrefix(path, "file:")
}

// removeCreated removes the SQLite file a failed command created, if it
// is still empty: a mistyped command must not leave an app.db behind.
func (f *flags) removeCreated() {
	if f.created == "" {
		return
	}
	if st, err := os.Stat(f.created); err == nil && st.Mode().IsRegular() && st.Size() == 0 {
		os.Remove(f.created)
	}
	f.created = ""
}

// hintError is an error whose hints name the command as the user runs it
// (`myapp db init`), not as the standalone binary (`strata init`).
type hintError struct {
	err error
	msg string
}

func (e *hintError) Error() string { return e.msg }
func (e *hintError) Unwrap() error { return e.err }

// wrapRuns makes every command below root remove an empty SQLite file it
// created when it fails, and name root's command path in its hints.
func wrapRuns(root *cobra.Command, f *flags) {
	for _, c := range root.Commands() {
		run := c.RunE
		if run == nil {
			continue
		}
		c.RunE = func(c *cobra.Command, args []string) error {
			f.created = ""
			if err := f.checkConfigExists(c); err != nil {
				return err
			}
			err := run(c, args)
			if err == nil {
				return nil
			}
			f.removeCreated()
			// A usage error found while the command ran (a malformed -x)
			// names the command, as cobra's own do.
			var ue *UsageError
			if errors.As(err, &ue) && ue.Command == "" {
				ue.Command = c.CommandPath()
			}
			if path := root.CommandPath(); path != "strata" && strings.Contains(err.Error(), "`strata ") {
				err = &hintError{err: err, msg: strings.ReplaceAll(err.Error(), "`strata ", "`"+path+" ")}
			}
			return printJSONError(c, err)
		}
	}
}

// checkConfigExists stops a command whose --config names a file that
// does not exist: strata.toml may be absent (every setting has a
// default), but a file asked for by name is meant to be read, and going
// on without it would act on the default database.
func (f *flags) checkConfigExists(c *cobra.Command) error {
	fl := c.Flags().Lookup("config")
	if fl == nil || !fl.Changed {
		return nil
	}
	if _, err := os.Stat(f.config); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("--config %s: no such file; give the path of an existing strata.toml, or leave --config out to use ./%s if present", f.config, strata.ConfigFile)
		}
		return fmt.Errorf("--config %s: %w", f.config, err)
	}
	return nil
}

// lockTimeoutFlag gives cmd, a command that takes the migration lock,
// the --lock-timeout flag.
func (f *flags) lockTimeoutFlag(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&f.lockTimeout, "lock-timeout", runner.DefaultLockTimeout,
		"how long to wait for another run's lock on the database before giving up (0 waits forever; default: strata.toml's lock_timeout, then 1m)")
}

// Config is what strata.toml holds.
type Config struct {
	Database string `toml:"database"`
	Dir      string `toml:"dir"`
	// Format is the form of the revisions migrate writes: sql or go.
	Format string `toml:"format"`
	// LockTimeout is how long a run waits for another run's lock, as a Go
	// duration ("30s", "5m"; "0" waits forever); --lock-timeout wins.
	LockTimeout string `toml:"lock_timeout"`
	// VersionPaths are further directories of revision files, read with
	// dir into one graph; `revision --version-path` writes into one.
	VersionPaths []string `toml:"version_paths"`
	// DevURL names an empty database that strata uses as its scratch
	// database instead of creating one (strata.WithDevURL), with ${VAR}
	// filled in as in Database; --dev-url wins.
	DevURL string `toml:"dev_url"`
	// Include and Exclude are glob patterns on the names of the tables
	// (views, enum types, functions) that inspect, check and migrate
	// compare; --include and --exclude replace them.
	Include []string `toml:"include"`
	Exclude []string `toml:"exclude"`
}

// ResolveDatabase returns the database URL: the flag's value, else
// DATABASE_URL, else strata.toml's with its ${VAR} and $VAR filled in
// from the environment (strata.ExpandURL), else DefaultDatabase.
func ResolveDatabase(flag, configPath string) (string, error) {
	return resolveDatabase(flag, configPath, func() (Config, error) { return LoadConfig(configPath) })
}

// resolveDatabase is ResolveDatabase with the flags' strata.toml.
func (f *flags) resolveDatabase() (string, error) {
	return resolveDatabase(f.database, f.config, f.loadConfig)
}

func resolveDatabase(flag, configPath string, load func() (Config, error)) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if env := os.Getenv("DATABASE_URL"); env != "" {
		return env, nil
	}
	cfg, err := load()
	if err != nil {
		return "", err
	}
	if cfg.Database != "" {
		u, err := strata.ExpandURL(cfg.Database)
		if err != nil {
			return "", fmt.Errorf("read %s: %w", configPath, err)
		}
		return u, nil
	}
	return DefaultDatabase, nil
}

// loadConfig reads the configuration file --config names, once: a
// command asks for several of its settings.
func (f *flags) loadConfig() (Config, error) {
	if f.cfg == nil {
		cfg, err := LoadConfig(f.config)
		f.cfg, f.cfgErr = &cfg, err
	}
	return *f.cfg, f.cfgErr
}

// LoadConfig reads strata.toml; a missing file is an empty Config.
func LoadConfig(path string) (Config, error) {
	var cfg Config
	md, err := toml.DecodeFile(path, &cfg)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("read %s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return Config{}, fmt.Errorf("read %s: unknown setting %q (known: database, dir, format, lock_timeout, version_paths, dev_url, include, exclude)", path, undecoded[0].String())
	}
	return cfg, nil
}

// New returns strata's commands under one parent command.
func New(opts ...Option) *cobra.Command {
	o := &options{name: "strata"}
	for _, opt := range opts {
		opt(o)
	}
	f := &flags{}
	root := &cobra.Command{
		Use:           o.name,
		Short:         "Schema migrations: autogenerate, upgrade, downgrade",
		SilenceUsage:  true,
		SilenceErrors: true,
		// A group: an argument that names none of its commands is a
		// usage error, not a reason to print the help and exit 0.
		Args: cobra.ArbitraryArgs,
		RunE: unknownCommand,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&f.database, "database", "", "database URL (default: $DATABASE_URL, then strata.toml, then "+DefaultDatabase+")")
	pf.StringVar(&f.dir, "dir", "", "migrations directory (default: strata.toml's dir, then migrations)")
	pf.StringVar(&f.config, "config", strata.ConfigFile, "configuration file")
	pf.BoolVar(&f.debug, "debug", false, "log each statement to standard error")
	pf.StringArrayVarP(&f.xargs, "x-arg", "x", nil, "key=value for Go migrations, which read it with op.X(\"key\") (repeatable)")
	root.AddCommand(
		initCmd(f),
		migrateCmd(f, o),
		upgradeCmd(f, o),
		downgradeCmd(f, o),
		currentCmd(f, o),
		historyCmd(f, o),
		headsCmd(f, o),
		checkCmd(f, o),
		revisionCmd(f, o),
		mergeCmd(f, o),
		branchesCmd(f, o),
		showCmd(f, o),
		stampCmd(f, o),
		repairCmd(f, o),
		testCmd(f, o),
		inspectCmd(f, o),
		lintCmd(f, o),
		editCmd(f, o),
	)
	addVersion(root)
	addJSONFlags(root)
	addCompletion(root, f, o)
	wrapRuns(root, f)
	markUsage(root)
	f.filterFlags(root)
	return root
}

func (f *flags) migrationsDir() (string, error) {
	if f.dir != "" {
		return f.dir, nil
	}
	cfg, err := f.loadConfig()
	if err != nil {
		return "", err
	}
	if cfg.Dir != "" {
		return cfg.Dir, nil
	}
	return "migrations", nil
}

// open connects to the database with the resolved settings.
func (f *flags) open(cmd *cobra.Command, o *options) (*strata.Migrator, error) {
	url, err := f.resolveDatabase()
	if err != nil {
		return nil, err
	}
	if announced[cmd.Name()] {
		fmt.Fprintf(cmd.ErrOrStderr(), "Database: %s\n", strata.Redact(url))
	}
	if file := sqliteFile(url); file != "" {
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			f.created = file
		}
	}
	dir, err := f.migrationsDir()
	if err != nil {
		return nil, err
	}
	level := slog.LevelWarn
	if f.debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
	opts := append(dirOptions(o, dir), strata.WithLogger(logger))
	if len(o.models) > 0 {
		opts = append(opts, strata.WithModels(o.models...))
	}
	if o.standalone {
		opts = append(opts, strata.WithGoFromSource())
	}
	if f.force {
		opts = append(opts, strata.WithForce())
	}
	if f.lintReport != nil {
		opts = append(opts, strata.WithLintReport(f.lintReport))
	}
	if f.progress != nil {
		opts = append(opts, strata.WithProgress(f.progress))
	}
	if f.schemaFile != "" {
		opts = append(opts, strata.WithSchemaFile(f.schemaFile))
	}
	format := f.format
	if format == "" {
		cfg, err := f.loadConfig()
		if err != nil {
			return nil, err
		}
		format = cfg.Format
	}
	if format != "" {
		opts = append(opts, strata.WithFormat(format))
	}
	if f.dbSchema != "" {
		opts = append(opts, strata.WithDatabaseSchema(f.dbSchema))
	}
	if fl := cmd.Flags().Lookup("lock-timeout"); fl != nil && fl.Changed {
		opts = append(opts, strata.WithLockTimeout(f.lockTimeout))
	} else {
		cfg, err := f.loadConfig()
		if err != nil {
			return nil, err
		}
		if cfg.LockTimeout != "" {
			d, err := time.ParseDuration(cfg.LockTimeout)
			if err != nil || d < 0 {
				return nil, fmt.Errorf("read %s: lock_timeout %q: want a duration such as 30s or 5m (0 waits forever)", f.config, cfg.LockTimeout)
			}
			opts = append(opts, strata.WithLockTimeout(d))
		}
	}
	more, err := f.parityOptions()
	if err != nil {
		return nil, err
	}
	opts = append(opts, more...)
	if f.dryRunLimit != 0 {
		opts = append(opts, strata.WithDryRunLimit(f.dryRunLimit))
	}
	filters, err := f.filterOptions(cmd)
	if err != nil {
		return nil, err
	}
	opts = append(opts, filters...)
	devURL, err := f.resolveDevURL()
	if err != nil {
		return nil, err
	}
	if devURL != "" {
		opts = append(opts, strata.WithDevURL(devURL))
	}
	for _, r := range f.renameTables {
		old, new, ok := strings.Cut(r, "=")
		if !ok || old == "" || new == "" {
			return nil, fmt.Errorf("--rename-table %q: want OLD=NEW", r)
		}
		opts = append(opts, strata.WithRenameTable(old, new))
	}
	for _, r := range f.renames {
		col, new, ok := strings.Cut(r, "=")
		table, old, ok2 := strings.Cut(col, ".")
		if !ok || !ok2 || table == "" || old == "" || new == "" {
			return nil, fmt.Errorf("--rename %q: want TABLE.OLD=NEW", r)
		}
		opts = append(opts, strata.WithRenameColumn(table, old, new))
	}
	// Connected only by the methods that need the database: heads,
	// history, show, revision, merge and offline SQL work without one.
	return strata.OpenLazy(url, append(opts, o.extra...)...)
}

func out(cmd *cobra.Command) io.Writer { return cmd.OutOrStdout() }

// terminal reports whether the command reads from a person at a terminal.
// A character device is not enough: /dev/null is one, and a prompt there
// (in CI, under cron) would print a question nobody answers and read "no".
func terminal(cmd *cobra.Command) (*os.File, bool) {
	in, ok := cmd.InOrStdin().(*os.File)
	if !ok {
		return nil, false
	}
	return in, isTerminal(in.Fd())
}

// confirmLoss asks on a terminal whether to go on although data would be
// lost; without a terminal the answer is no, and the error stands.
func confirmLoss(cmd *cobra.Command, err error) bool {
	var loss *runner.DataLossError
	if !errors.As(err, &loss) {
		return false
	}
	in, ok := terminal(cmd)
	if !ok {
		return false
	}
	fmt.Fprintln(cmd.ErrOrStderr(), err)
	fmt.Fprint(cmd.ErrOrStderr(), "Go on and lose this data? Type yes to confirm: ")
	var answer string
	fmt.Fscanln(in, &answer)
	return answer == "yes"
}

func describe(id, message string) string {
	if message == "" {
		return id
	}
	return id + " (" + message + ")"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
