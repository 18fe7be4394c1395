package strata

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// modulePath is strata's module, looked up among a program's dependencies
// when strata is mounted inside an application.
const modulePath = "github.com/strata-go/strata"

// BuildInfo says which strata a program runs, read from the Go build
// information the linker records (runtime/debug.ReadBuildInfo).
type BuildInfo struct {
	// Version is strata's module version, such as "v0.4.0", or "(devel)"
	// for a build from a checkout of strata itself.
	Version string `json:"version"`
	// Revision, Time and Modified describe the VCS checkout the binary
	// was built from; they are set only when strata is the main module
	// built inside its repository (go build, not go install pkg@version).
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	// Program is the main module when strata is a dependency of it (the
	// application that mounts strata's commands), with its version.
	Program        string `json:"program,omitempty"`
	ProgramVersion string `json:"program_version,omitempty"`
	// GoVersion is the Go toolchain that built the binary.
	GoVersion string `json:"go_version"`
}

// ReadBuildInfo returns strata's version as built into the running
// binary. ok is false when the binary carries no build information (a
// build without module support).
func ReadBuildInfo() (info BuildInfo, ok bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return BuildInfo{Version: "unknown"}, false
	}
	return buildInfoFrom(bi), true
}

func buildInfoFrom(bi *debug.BuildInfo) BuildInfo {
	info := BuildInfo{GoVersion: bi.GoVersion, Version: "unknown"}
	if bi.Main.Path == modulePath {
		info.Version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
		return info
	}
	info.Program, info.ProgramVersion = bi.Main.Path, bi.Main.Version
	for _, dep := range bi.Deps {
		if dep.Path != modulePath {
			continue
		}
		info.Version = dep.Version
		if dep.Replace != nil {
			// A replace directive (a local checkout, a fork) is what
			// actually runs; say so rather than the version it replaces.
			info.Version = dep.Replace.Version
			if info.Version == "" {
				info.Version = "(replaced by " + dep.Replace.Path + ")"
			}
		}
	}
	return info
}

// String is one line, such as
// "strata v0.4.0 (go1.26.8)" or
// "strata (devel) rev 1a2b3c4d5e6f, 2026-12-07T21:00:00Z, modified (go1.26.8)" or
// "strata v0.4.0 in example.com/myapp v1.2.0 (go1.26.8)".
func (b BuildInfo) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "strata %s", b.Version)
	if b.Revision != "" {
		rev := b.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		fmt.Fprintf(&s, " rev %s", rev)
		if b.Time != "" {
			fmt.Fprintf(&s, ", %s", b.Time)
		}
		if b.Modified {
			s.WriteString(", modified")
		}
	}
	if b.Program != "" {
		fmt.Fprintf(&s, " in %s", b.Program)
		if b.ProgramVersion != "" {
			fmt.Fprintf(&s, " %s", b.ProgramVersion)
		}
	}
	if b.GoVersion != "" {
		fmt.Fprintf(&s, " (%s)", b.GoVersion)
	}
	return s.String()
}
