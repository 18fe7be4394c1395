package cli

import (
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// relativeTarget is a relative target such as -2, which pflag would take
// for a bundle of short flags.
var relativeTarget = regexp.MustCompile(`^-[0-9]+$`)

// acceptRelativeTargets lets cmd take a relative target such as -2 as its
// positional argument (downgrade -2), whoever executes the command tree:
// cobra does not parse cmd's flags; the command moves such an argument
// behind "--" and parses them itself, so that every real flag still works
// before or after the target.
func acceptRelativeTargets(cmd *cobra.Command) {
	run, validate := cmd.RunE, cmd.Args
	cmd.DisableFlagParsing = true
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(c *cobra.Command, raw []string) error {
		c.DisableFlagParsing = false
		err := c.ParseFlags(moveRelativeTargets(c, raw))
		c.DisableFlagParsing = true
		if err != nil {
			return c.FlagErrorFunc()(c, err)
		}
		if help, _ := c.Flags().GetBool("help"); help {
			return c.Help()
		}
		args := c.Flags().Args()
		if validate != nil {
			if err := validate(c, args); err != nil {
				return usageError(c, err)
			}
		}
		return run(c, args)
	}
}

// moveRelativeTargets returns args with each relative target that is not
// a flag's value moved behind "--", where pflag takes it as an argument.
func moveRelativeTargets(c *cobra.Command, args []string) []string {
	var rest, targets []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if relativeTarget.MatchString(a) && (i == 0 || !takesValue(c, args[i-1])) {
			targets = append(targets, a)
			continue
		}
		rest = append(rest, a)
	}
	if len(targets) == 0 {
		return args
	}
	if i := slices.Index(rest, "--"); i >= 0 {
		return slices.Concat(rest[:i+1], targets, rest[i+1:])
	}
	return slices.Concat(rest, []string{"--"}, targets)
}

// takesValue reports whether arg is a flag, without "=", whose value is
// the next argument.
func takesValue(c *cobra.Command, arg string) bool {
	if !strings.HasPrefix(arg, "-") || strings.Contains(arg, "=") || relativeTarget.MatchString(arg) {
		return false
	}
	var f *pflag.Flag
	if name, ok := strings.CutPrefix(arg, "--"); ok {
		f = c.Flags().Lookup(name)
		if f == nil {
			f = c.InheritedFlags().Lookup(name)
		}
	} else if len(arg) == 2 {
		f = c.Flags().ShorthandLookup(arg[1:])
		if f == nil {
			f = c.InheritedFlags().ShorthandLookup(arg[1:])
		}
	}
	return f != nil && f.NoOptDefVal == ""
}
